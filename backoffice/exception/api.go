package exception

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

type inboxResponse struct {
	Cases []Case `json:"cases"`
}

type recommendBody struct {
	Outcome string `json:"outcome"` // proceed or reject
	Text    string `json:"text"`
}

type decisionBody struct {
	Outcome string `json:"outcome"` // adjudication, billing or rejected
	Reason  string `json:"reason"`
}

// Routes registers the BAP API (officer token; the office's cases, a
// regional head's region's).
func (s *Service) Routes(api httpx.API) {
	officer := auth.Require(s.Tokens, auth.Officer)
	op := func(summary string, body, ok any, errs ...int) httpx.Op {
		res := map[int]any{200: ok, 401: nil, 403: nil, 404: nil}
		for _, c := range errs {
			res[c] = nil
		}
		return httpx.Op{Summary: summary, Tag: "exceptions", Auth: auth.Officer, Body: body, Responses: res}
	}
	inbox := op("Open cases (applications on hold) of the office, or of a regional head's region, oldest first", nil, inboxResponse{})
	inbox.Query = []httpx.Param{{Name: "kind", Description: "one hold kind: existing_passport, lost_passport, duplicate, verification_failed, watchlist, escalated"}}
	api.Get("/backoffice/exceptions", inbox, officer, auth.RequireRole(PageRoles...), s.apiInbox)
	api.Get("/backoffice/exceptions/:application_no", op("The application's latest case: what was found, the BAP, the recommendation, the decision",
		nil, Case{}), officer, auth.RequireRole(PageRoles...), s.apiCase)
	api.Put("/backoffice/exceptions/:application_no/bap", op("Write the BAP (supervisor): statement, findings, examiner, the case kind's fields; "+
		"correctable until recommended", BAP{}, Case{}, 409, 422), officer, auth.RequireRole(WriterRoles...), s.apiBAP)
	api.Post("/backoffice/exceptions/:application_no/recommendation", op("The office head's recommendation on a watchlist case (validator)",
		recommendBody{}, Case{}, 409, 422), officer, auth.RequireRole(RecommendRoles...), s.apiRecommend)
	api.Post("/backoffice/exceptions/:application_no/decision", op("Decide the case (supervisor; a watchlist case the regional head): "+
		"to adjudication, billing or rejected, with the reason (a rejected applicant is told it by SMS)", decisionBody{}, Case{}, 409, 422),
		officer, auth.RequireRole(DeciderRoles...), s.apiDecide)
}

// OfficerOf is the request's officer.
func OfficerOf(c fiber.Ctx) Officer {
	return Officer{Actor: application.OfficerActor(c), Name: auth.Get(c).Name}
}

func (s *Service) apiInbox(c fiber.Ctx) error {
	kind := c.Query("kind")
	if kind != "" && FieldsOf(kind) == nil && kind != application.HoldEscalated {
		return httpx.Invalid().Field("kind", "exception.query.kind")
	}
	out, err := s.Open(c.Context(), OfficerOf(c).scope(), kind)
	if err != nil {
		return err
	}
	if out == nil {
		out = []Case{}
	}
	return c.JSON(inboxResponse{Cases: out})
}

func appNo(c fiber.Ctx) string { return strings.ToUpper(c.Params("application_no")) }

func (s *Service) apiCase(c fiber.Ctx) error {
	k, err := s.Get(c.Context(), OfficerOf(c).scope(), appNo(c))
	if err != nil {
		return HTTPError(err)
	}
	return c.JSON(k)
}

func (s *Service) apiBAP(c fiber.Ctx) error {
	var in BAP
	if err := httpx.BindJSON(c, &in); err != nil {
		return err
	}
	k, err := s.WriteBAP(c.Context(), OfficerOf(c), appNo(c), in)
	if err != nil {
		return HTTPError(err)
	}
	return c.JSON(k)
}

func (s *Service) apiRecommend(c fiber.Ctx) error {
	var in recommendBody
	if err := httpx.BindJSON(c, &in); err != nil {
		return err
	}
	k, err := s.Recommend(c.Context(), OfficerOf(c), appNo(c), in.Outcome, in.Text)
	if err != nil {
		return HTTPError(err)
	}
	return c.JSON(k)
}

func (s *Service) apiDecide(c fiber.Ctx) error {
	var in decisionBody
	if err := httpx.BindJSON(c, &in); err != nil {
		return err
	}
	k, err := s.Decide(c.Context(), OfficerOf(c), appNo(c), civil.Stage(in.Outcome), in.Reason)
	if err != nil {
		return HTTPError(err)
	}
	return c.JSON(k)
}

// HTTPError says what a case's error means to an officer.
func HTTPError(err error) error {
	var ie *InputError
	switch {
	case errors.Is(err, ErrRole):
		return httpx.New(http.StatusForbidden, "exception_role")
	case errors.Is(err, ErrDecided):
		return httpx.New(http.StatusConflict, "exception_decided")
	case errors.Is(err, ErrBAPMissing):
		return httpx.New(http.StatusConflict, "bap_missing")
	case errors.Is(err, ErrBAPLocked):
		return httpx.New(http.StatusConflict, "bap_locked")
	case errors.Is(err, ErrRecommendMissing):
		return httpx.New(http.StatusConflict, "recommendation_missing")
	case errors.Is(err, ErrRecommendNotNeeded):
		return httpx.New(http.StatusConflict, "recommendation_not_needed")
	case errors.As(err, &ie):
		e := httpx.Invalid()
		for f, problem := range ie.Fields {
			e.Field(f, "exception.problem."+problem)
		}
		return e
	}
	return application.HTTPError(err)
}
