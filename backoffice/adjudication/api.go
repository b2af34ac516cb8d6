package adjudication

import (
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

type inboxResponse struct {
	Applications []InboxItem `json:"applications"`
}

type decisionBody struct {
	Reason string `json:"reason"`
}

type decisionResponse struct {
	ApplicationNo string `json:"application_no"`
	Stage         string `json:"stage"`
}

type settingsBody struct {
	AutoApprove bool `json:"auto_approve"`
}

// Routes registers the adjudication API (officer token, own office).
func (s *Service) Routes(api httpx.API) {
	officer := auth.Require(s.Tokens, auth.Officer)
	op := func(summary string, body, ok any, errs ...int) httpx.Op {
		res := map[int]any{200: ok, 401: nil, 403: nil}
		for _, c := range errs {
			res[c] = nil
		}
		return httpx.Op{Summary: summary, Tag: "adjudication", Auth: auth.Officer, Body: body, Responses: res}
	}
	api.Get("/backoffice/adjudication/inbox", op("Applications awaiting a decision at the office, oldest first", nil, inboxResponse{}),
		officer, auth.RequireRole(Roles...), s.apiInbox)
	for _, d := range []Decision{Approve, Reject, Escalate} {
		summary := map[Decision]string{Approve: "Approve: the application goes to billing (reason optional)",
			Reject:   "Reject with the reason the applicant is told by SMS",
			Escalate: "Escalate: on hold for the supervisor's decision (reason required)"}[d]
		api.Post("/backoffice/adjudication/:application_no/"+string(d), op(summary, decisionBody{}, decisionResponse{}, 404, 409, 422),
			officer, s.apiDecide(d))
	}
	api.Get("/backoffice/adjudication/settings", op("The office's auto-approval of clean applications", nil, settingsBody{}),
		officer, s.apiSettings)
	api.Put("/backoffice/adjudication/settings", op("Turn the office's auto-approval of clean applications on or off",
		settingsBody{}, settingsBody{}, 422), officer, auth.RequireRole(SettingRoles...), s.apiSetSettings)
}

func (s *Service) apiInbox(c fiber.Ctx) error {
	items, err := s.Inbox(c.Context(), auth.Get(c).Office)
	if err != nil {
		return err
	}
	return c.JSON(inboxResponse{Applications: items})
}

func (s *Service) apiDecide(d Decision) fiber.Handler {
	return func(c fiber.Ctx) error {
		var in decisionBody
		if len(c.Body()) > 0 {
			if err := httpx.BindJSON(c, &in); err != nil {
				return err
			}
		}
		m, err := s.Decide(c.Context(), strings.ToUpper(c.Params("application_no")), d, application.OfficerActor(c), in.Reason)
		if err != nil {
			return application.HTTPError(err)
		}
		return c.JSON(decisionResponse{ApplicationNo: m.No, Stage: string(m.Stage)})
	}
}

func (s *Service) apiSettings(c fiber.Ctx) error {
	on, err := AutoApprove(c.Context(), s.Pool, auth.Get(c).Office)
	if err != nil {
		return err
	}
	return c.JSON(settingsBody{AutoApprove: on})
}

func (s *Service) apiSetSettings(c fiber.Ctx) error {
	var in settingsBody
	if err := httpx.BindJSON(c, &in); err != nil {
		return err
	}
	p := auth.Get(c)
	if p.Office == "" {
		return httpx.ErrForbidden
	}
	if err := s.SetAutoApprove(c.Context(), p.Office, in.AutoApprove, "officer:"+p.Subject); err != nil {
		return err
	}
	return c.JSON(in)
}
