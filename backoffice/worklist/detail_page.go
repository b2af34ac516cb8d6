package worklist

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

type detailView struct {
	No, Service, Stage, FullName string
	CreatedAt, UpdatedAt         time.Time
}

// detailPage is one application of the officer's office, read-only; another
// office's number is 404, as if it did not exist.
func (s *Service) detailPage(c fiber.Ctx) error {
	ctx, p := c.Context(), auth.Get(c)
	a, err := s.Apps.InOffice(ctx, p.Office, c.Params("no"))
	if errors.Is(err, application.ErrNotFound) {
		return httpx.ErrNotFound
	}
	if err != nil {
		return err
	}
	loc, err := s.Zone(ctx, p.Office)
	if err != nil {
		return err
	}
	v := detailView{No: a.No, Service: a.Service, Stage: string(a.Stage), FullName: a.FullName,
		CreatedAt: a.CreatedAt.In(loc), UpdatedAt: a.UpdatedAt.In(loc)}
	return s.Pages.Render(c, fiber.StatusOK, "worklist_application", "officer.application.title", v, false)
}
