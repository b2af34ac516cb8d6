package devices

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// The expected wait on the ticket, and the walk-in's opt-in to the "your
// turn is near" text (online bookings get it without asking).

type nearRequest struct {
	Phone string `json:"phone"`
}

// apiNear records the phone for a waiting ticket's "near" text.
func (s *Service) apiNear(c fiber.Ctx) error {
	var req nearRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Phone) == "" {
		return httpx.Invalid().Field("phone", "field.required")
	}
	p := auth.Get(c)
	if err := s.Queue.AskNear(c.Context(), p.Office, strings.ToUpper(c.Params("ticket")), req.Phone, DeviceActor(p)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// kioskNear is the ticket page's opt-in form.
func (s *Service) kioskNear(c fiber.Ctx) error {
	d := s.kioskDevice(c)
	if d == nil {
		return c.Redirect().Status(fiber.StatusSeeOther).To("/kiosk")
	}
	number := strings.ToUpper(strings.TrimSpace(c.FormValue("ticket")))
	err := s.Queue.AskNear(c.Context(), d.Office, number, c.FormValue("phone"), "device:"+d.Subject)
	if err != nil {
		return s.kioskError(c, d, err, kioskView{})
	}
	cat := s.Pages.Catalog()
	v := kioskView{Office: d.Office, Notice: cat.T(httpx.Lang(c), "queue.kiosk.near_saved", "ticket", number),
		IdleSeconds: s.idleSeconds()}
	return s.renderKiosk(c, fiber.StatusOK, d, v)
}

// expectedText words a ticket's forecast for its printout.
func (s *Service) expectedText(lang string, t Ticket, loc *time.Location) string {
	cat := s.Pages.Catalog()
	switch {
	case t.ExpectedWaitMin == nil:
		return cat.T(lang, "queue.wait.unknown")
	case *t.ExpectedWaitMin <= 1:
		return cat.T(lang, "queue.wait.now")
	default:
		return cat.T(lang, "queue.wait.minutes", "minutes", *t.ExpectedWaitMin) + " (" + t.ExpectedCallAt.In(loc).Format("15:04") + ")"
	}
}
