package sms

import (
	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
)

// PageRoles may open the backoffice SMS page.
var PageRoles = []string{"admin", "supervisor"}

// PagePath is the backoffice SMS page.
const PagePath = "/backoffice/sms"

// PageRoutes registers the backoffice SMS page; guard signs officers in
// (the backoffice's page cookie) and checks PageRoles.
func (s *Service) PageRoutes(r fiber.Router, guard fiber.Handler) {
	r.Get(PagePath, guard, s.page)
}

// page shows the officer's own office only: the office comes from the
// sign-in, never from the request.
func (s *Service) page(c fiber.Ctx) error {
	r, err := s.Report(c.Context(), auth.Get(c).Office)
	if err != nil {
		return err
	}
	return s.Pages.Render(c, fiber.StatusOK, "sms_backoffice", "sms.page.title", r, false)
}
