package validation

import (
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

type inboxResponse struct {
	Applications []Item `json:"applications"`
}

type reprintBody struct {
	Reason string `json:"reason"`
}

type decisionResponse struct {
	ApplicationNo string `json:"application_no"`
	Stage         string `json:"stage"`
}

// Routes registers the validation API (officer token, role validator, own
// office: another office's number is 404).
func (s *Service) Routes(api httpx.API) {
	officer := auth.Require(s.Tokens, auth.Officer)
	role := auth.RequireRole(Roles...)
	op := func(summary string, body, ok any, errs ...int) httpx.Op {
		res := map[int]any{200: ok, 401: nil, 403: nil}
		for _, c := range errs {
			res[c] = nil
		}
		return httpx.Op{Summary: summary, Tag: "validation", Auth: auth.Officer, Body: body, Responses: res}
	}
	api.Get("/backoffice/validations", op("Printed passports awaiting the office head's validation, with each data page "+
		"(passport number, name, MRZ lines), longest waiting first", nil, inboxResponse{}), officer, role, s.apiInbox)
	api.Post("/backoffice/validations/:application_no/approve", op("Validate the data page: the application becomes ready "+
		"and the applicant gets the \"ready for pickup\" SMS once (409 no_data_page when nothing was printed)",
		nil, decisionResponse{}, 404, 409), officer, role, s.apiApprove)
	api.Post("/backoffice/validations/:application_no/reprint", op("Send the data page back to printing with the fault "+
		"found (reason required)", reprintBody{}, decisionResponse{}, 404, 409, 422), officer, role, s.apiReprint)
}

func (s *Service) apiInbox(c fiber.Ctx) error {
	items, err := s.Inbox(c.Context(), auth.Get(c).Office)
	if err != nil {
		return err
	}
	return c.JSON(inboxResponse{Applications: items})
}

func (s *Service) apiApprove(c fiber.Ctx) error {
	m, err := s.Approve(c.Context(), strings.ToUpper(c.Params("application_no")), application.OfficerActor(c))
	if err != nil {
		return HTTPError(err)
	}
	return c.JSON(decisionResponse{ApplicationNo: m.No, Stage: string(m.Stage)})
}

func (s *Service) apiReprint(c fiber.Ctx) error {
	var in reprintBody
	if err := httpx.BindJSON(c, &in); err != nil {
		return err
	}
	m, err := s.Reprint(c.Context(), strings.ToUpper(c.Params("application_no")), application.OfficerActor(c), in.Reason)
	if err != nil {
		return HTTPError(err)
	}
	return c.JSON(decisionResponse{ApplicationNo: m.No, Stage: string(m.Stage)})
}
