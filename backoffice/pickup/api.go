package pickup

import (
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// Status is an application at the pickup counter: its passport and the
// newest face check still standing.
type Status struct {
	ApplicationNo string `json:"application_no"`
	Stage         string `json:"stage"`
	Service       string `json:"service"`
	PassportNo    string `json:"passport_no"`
	Check         *Check `json:"check"` // null: ask the collector to face the camera
}

// Routes registers the pickup API (officer token, role pickup, own office).
func (s *Service) Routes(api httpx.API) {
	officer := auth.Require(s.Tokens, auth.Officer)
	role := auth.RequireRole(Roles...)
	op := func(summary string, ok any, errs ...int) httpx.Op {
		res := map[int]any{200: ok, 401: nil, 403: nil, 404: nil}
		for _, c := range errs {
			res[c] = nil
		}
		return httpx.Op{Summary: summary, Tag: "pickup", Auth: auth.Officer, Responses: res}
	}
	api.Get("/backoffice/pickups/:application_no", op("An application at the pickup counter: its passport and the newest "+
		"face check of the collector (from the counter camera's POST /api/v1/devices/verifications)", Status{}), officer, role, s.apiStatus)
	api.Post("/backoffice/pickups/:application_no/handover", op("Hand the passport over to the applicant: needs a matching "+
		"face check in the last 10 minutes (409 face_check_required, 409 face_mismatch with the score); the application "+
		"becomes picked_up, the passport valid, the previous one cancelled (or lost)", Handover{}, 409), officer, role, s.apiHandover)
}

// StatusOf is application no at the counter of office.
func (s *Service) StatusOf(c fiber.Ctx, no string) (Status, error) {
	ctx, office := c.Context(), auth.Get(c).Office
	a, err := s.Apps.InOffice(ctx, office, no)
	if err != nil {
		return Status{}, err
	}
	st := Status{ApplicationNo: a.No, Stage: string(a.Stage), Service: a.Service, PassportNo: a.PassportNo}
	if ch, ok, err := s.LastCheck(ctx, s.Pool, office, a.No); err != nil {
		return st, err
	} else if ok {
		st.Check = &ch
	}
	return st, nil
}

func (s *Service) apiStatus(c fiber.Ctx) error {
	st, err := s.StatusOf(c, strings.ToUpper(c.Params("application_no")))
	if err != nil {
		return s.HTTPError(err)
	}
	return c.JSON(st)
}

func (s *Service) apiHandover(c fiber.Ctx) error {
	h, err := s.HandOver(c.Context(), strings.ToUpper(c.Params("application_no")), application.OfficerActor(c))
	if err != nil {
		return s.HTTPError(err)
	}
	return c.JSON(h)
}
