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
	setDeviceCookie(c, DisplayCookie, "/tv", tok)
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
	return c.JSON(nextResponse{Office: office, Next: n})
}
