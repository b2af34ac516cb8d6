package portal

import (
	"github.com/sppt/sppt/internal/civil"

	"github.com/gofiber/fiber/v3"
)

type homeOffice struct {
	Office
	Today TodayQuota
}

func (s *Service) home(c fiber.Ctx) error {
	offices, err := s.Directory.Offices(c.Context())
	if err != nil {
		return err
	}
	v, err := s.homeView(c, offices, c.Query("q"))
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "home", "home.title", v)
}

// today is an office's remaining seats on its own current calendar day.
func (s *Service) today(c fiber.Ctx, o Office) (TodayQuota, error) {
	if s.Quota == nil {
		return TodayQuota{}, nil
	}
	loc, err := civil.Zone(o.Timezone)
	if err != nil {
		return TodayQuota{}, err
	}
	d, err := s.Quota.Day(c.Context(), o.Code, civil.Day(s.Clock.Now(), loc))
	if err != nil {
		return TodayQuota{}, err
	}
	// "Open today" means the office serves today: walk-in seats count even
	// after online booking has closed for the day.
	open := d.Online.Capacity+d.Walkin.Capacity > 0 && d.Reason != "weekend" && d.Reason != "holiday" && d.Reason != "closed"
	return TodayQuota{Open: open, OnlineRemaining: d.Online.Remaining, WalkinRemaining: d.Walkin.Remaining}, nil
}
