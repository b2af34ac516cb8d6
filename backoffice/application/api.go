package application

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

type listResponse struct {
	Applications []Summary `json:"applications"`
}

// TransitionBody is the officer's move request.
type TransitionBody struct {
	To     string `json:"to"`
	Reason string `json:"reason,omitempty"`
	Hold   string `json:"hold,omitempty"` // to on_hold: existing_passport, lost_passport, duplicate, watchlist, escalated
}

// Routes registers the officers' application API (own office only; a
// regional head's region).
func (s *Stages) Routes(api httpx.API, tokens *auth.Tokens) {
	officer := auth.Require(tokens, auth.Officer)
	op := func(summary string, body any, ok any, errs ...int) httpx.Op {
		res := map[int]any{200: ok, 401: nil, 404: nil}
		for _, c := range errs {
			res[c] = nil
		}
		return httpx.Op{Summary: summary, Tag: "applications", Auth: auth.Officer, Body: body, Responses: res}
	}
	list := op("The office's applications, oldest first, by stage and office day (CONTRACT.md Pipeline)", nil, listResponse{}, 422)
	list.Query = []httpx.Param{{Name: "stage", Description: "one of the stages"}, {Name: "date", Description: "office day the application was born, YYYY-MM-DD"}}
	api.Get("/backoffice/applications", list, officer, s.apiList)
	api.Get("/backoffice/applications/:application_no", op("One application of the office with its full history", nil, Record{}),
		officer, s.apiRecord)
	api.Post("/backoffice/applications/:application_no/transitions", op("Move the application to another stage "+
		"(role-checked per transition; 409 invalid_transition names the current stage)", TransitionBody{}, Record{}, 403, 409, 422),
		officer, s.apiTransition)
}

// OfficerActor is the request's officer as a mover.
func OfficerActor(c fiber.Ctx) Actor {
	p := auth.Get(c)
	return Actor{Kind: KindOfficer, ID: p.Subject, Office: p.Office, Region: p.Region, Roles: p.Roles}
}

func scopeOf(c fiber.Ctx) Scope {
	p := auth.Get(c)
	return Scope{Office: p.Office, Region: p.Region}
}

func (s *Stages) apiList(c fiber.Ctx) error {
	bad := httpx.Invalid()
	stage := civil.Stage(c.Query("stage"))
	if stage != "" && !stage.Valid() {
		bad.Field("stage", "application.field.stage")
	}
	var day time.Time
	if d := c.Query("date"); d != "" {
		var err error
		if day, err = civil.ParseDate(d); err != nil {
			bad.Field("date", "application.field.date")
		}
	}
	if bad.HasFields() {
		return bad
	}
	out, err := s.List(c.Context(), scopeOf(c), stage, day)
	if err != nil {
		return err
	}
	if out == nil {
		out = []Summary{}
	}
	return c.JSON(listResponse{Applications: out})
}

func (s *Stages) apiRecord(c fiber.Ctx) error {
	r, err := s.Record(c.Context(), scopeOf(c), strings.ToUpper(c.Params("application_no")))
	if err != nil {
		return HTTPError(err)
	}
	return c.JSON(r)
}

func (s *Stages) apiTransition(c fiber.Ctx) error {
	var in TransitionBody
	if err := httpx.BindJSON(c, &in); err != nil {
		return err
	}
	if !civil.Stage(in.To).Valid() {
		return httpx.Invalid().Field("to", "application.field.stage")
	}
	no := strings.ToUpper(c.Params("application_no"))
	_, err := s.Move(c.Context(), Request{No: no, To: civil.Stage(in.To), Actor: OfficerActor(c), Reason: in.Reason, Hold: in.Hold})
	if err != nil {
		return HTTPError(err)
	}
	r, err := s.Record(c.Context(), scopeOf(c), no)
	if err != nil {
		return HTTPError(err)
	}
	return c.JSON(r)
}

// HTTPError says what a move's or lookup's error means to an officer: the
// one place this package's errors become HTTP answers (stage packages'
// handlers use it too).
func HTTPError(err error) error {
	var te *TransitionError
	var ie *InputError
	switch {
	case errors.Is(err, ErrNotFound):
		return httpx.New(http.StatusNotFound, "application_not_found")
	case errors.Is(err, ErrForbidden):
		return httpx.New(http.StatusForbidden, "transition_forbidden")
	case errors.As(err, &te) && te.NotClean:
		return httpx.New(http.StatusConflict, "checks_not_clean", "stage", string(te.From)).With("stage", te.From)
	case errors.As(err, &te):
		return httpx.New(http.StatusConflict, "invalid_transition", "stage", string(te.From), "to", string(te.To)).
			With("stage", te.From)
	case errors.As(err, &ie):
		e := httpx.Invalid()
		for f, problem := range ie.Fields {
			e.Field(f, "application.field."+f+"_"+problem)
		}
		return e
	}
	return err
}
