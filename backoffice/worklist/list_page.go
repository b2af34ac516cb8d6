package worklist

import (
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
)

type line struct {
	No, Service, FullName, Stage string
	Since                        time.Time
}

type listView struct {
	Slug, Office string
	Lines        []line
	Limit        int
}

func (s *Service) listPage(l List) fiber.Handler {
	return func(c fiber.Ctx) error {
		ctx, p := c.Context(), auth.Get(c)
		items, err := s.Apps.List(ctx, p.Office, l.Stages, Limit)
		if err != nil {
			return err
		}
		loc, err := s.Zone(ctx, p.Office)
		if err != nil {
			return err
		}
		v := listView{Slug: l.Slug, Office: p.Office, Limit: Limit}
		for _, it := range items {
			v.Lines = append(v.Lines, line{No: it.No, Service: it.Service, FullName: it.FullName,
				Stage: string(it.Stage), Since: it.UpdatedAt.In(loc)})
		}
		return s.Pages.Render(c, fiber.StatusOK, "worklist", "officer.work."+l.Slug+".title", v, false)
	}
}
