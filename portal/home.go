package portal

import (
	"github.com/gofiber/fiber/v3"
)

type homeOffice struct {
	Office
	Today TodayQuota
}

func (s *Service) home(c fiber.Ctx) error {
	ctx := c.Context()
	offices, err := s.Directory.Offices(ctx)
	if err != nil {
		return err
	}
	list := make([]homeOffice, 0, len(offices))
	for _, o := range offices {
		t, err := s.Directory.Today(ctx, o.Code)
		if err != nil {
			return err
		}
		list = append(list, homeOffice{Office: o, Today: t})
	}
	return s.Pages.Render(c, fiber.StatusOK, "home", "home.title", map[string]any{"Offices": list}, false)
}
