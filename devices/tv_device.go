package devices

import (
	"context"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
)

// DisplayCookie keeps an enrolled TV's device token in its browser.
const DisplayCookie = "sppt_display"

// NextPerGroup is how many waiting numbers the TV shows per group.
const NextPerGroup = 3

// Upcoming is the queue's next waiting numbers per service group.
type Upcoming interface {
	NextNumbers(ctx context.Context, office string, per int) (map[string][]string, error)
	// Waits is the expected wait in minutes of each waiting number, and of
	// a number issued now per service (backoffice/queue/wait.go).
	Waits(ctx context.Context, office string) (byNumber, newBySvc map[string]int, err error)
}

type tvSetupView struct {
	SetupError string
}

// displayDevice is the enrolled display of this browser (nil: a public view).
func (s *Service) displayDevice(c fiber.Ctx) *auth.Claims {
	tok := c.Cookies(DisplayCookie)
	if tok == "" {
		return nil
	}
	claims, err := s.Registry.Check(c.Context(), tok, "display")
	if err != nil {
		return nil
	}
	return claims
}

// tvSetupPage is where a TV is enrolled with its one-time code; an
// enrolled TV goes straight to its office's display.
func (s *Service) tvSetupPage(c fiber.Ctx) error {
	if d := s.displayDevice(c); d != nil {
		return c.Redirect().Status(fiber.StatusSeeOther).To("/tv/" + d.Office)
	}
	return s.Pages.Render(c, fiber.StatusOK, "tv_setup", "devices.tv_setup.title", tvSetupView{}, false)
}

func (s *Service) tvSetup(c fiber.Ctx) error {
	tok, claims, err := s.setupDevice(c, "display")
	if err != nil {
		status, msg, err := s.setupError(c, err)
		if err != nil {
			return err
		}
		return s.Pages.Render(c, status, "tv_setup", "devices.tv_setup.title", tvSetupView{SetupError: msg}, false)
	}
	s.setDeviceCookie(c, DisplayCookie, "/tv", tok)
	return c.Redirect().Status(fiber.StatusSeeOther).To("/tv/" + claims.Office)
}

// tvHeartbeat is the enrolled TV saying it is alive (Check stamps
// last_seen_at): the devices page shows it as connected.
func (s *Service) tvHeartbeat(c fiber.Ctx) error {
	if s.displayDevice(c) == nil {
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type nextResponse struct {
	Office string              `json:"office"`
	Next   map[string][]string `json:"next"`
	// Waits: expected minutes until each listed number is called; NewWait:
	// until a number issued now would be, per service.
	Waits   map[string]int `json:"waits"`
	NewWait map[string]int `json:"new_wait"`
}

// next is the next waiting numbers per group (empty without Upcoming).
func (s *Service) next(ctx context.Context, office string) (map[string][]string, error) {
	if s.Upcoming == nil {
		return map[string][]string{}, nil
	}
	return s.Upcoming.NextNumbers(ctx, office, NextPerGroup)
}

func (s *Service) apiNext(c fiber.Ctx) error {
	office := officeParam(c)
	if _, err := s.Queue.State(c.Context(), office); err != nil { // 404 for an unknown office
		return err
	}
	n, err := s.next(c.Context(), office)
	if err != nil {
		return err
	}
	r := nextResponse{Office: office, Next: n, Waits: map[string]int{}, NewWait: map[string]int{}}
	if s.Upcoming != nil {
		if r.Waits, r.NewWait, err = s.waits(c.Context(), office, n); err != nil {
			return err
		}
	}
	return c.JSON(r)
}

// waits keeps the forecast of the listed numbers only.
func (s *Service) waits(ctx context.Context, office string, next map[string][]string) (map[string]int, map[string]int, error) {
	all, fresh, err := s.Upcoming.Waits(ctx, office)
	if err != nil {
		return nil, nil, err
	}
	listed := map[string]int{}
	for _, ns := range next {
		for _, n := range ns {
			if w, ok := all[n]; ok {
				listed[n] = w
			}
		}
	}
	return listed, fresh, nil
}
