package portal

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/quota"
)

type officesResponse struct {
	Offices []Office `json:"offices"`
}

func (s *Service) listOffices(c fiber.Ctx) error {
	offices, err := s.Directory.Offices(c.Context())
	if err != nil {
		return err
	}
	return c.JSON(officesResponse{Offices: offices})
}

// office returns one office with its time zone and hours; unknown codes are 404.
func (s *Service) office(ctx context.Context, code string) (quota.Office, error) {
	if !validOfficeCode(code) {
		return quota.Office{}, httpx.ErrNotFound
	}
	o, err := quota.GetOffice(ctx, s.Pool, code)
	if errors.Is(err, quota.ErrNoOffice) {
		return o, httpx.ErrNotFound
	}
	return o, err
}

// officeZone is office() for the hot path: whether the office exists and its
// time zone, remembered once seen. Offices are never deleted and a zone never
// changes, so the memory cannot go stale. A miss reads every office once,
// under a lock, so a crowd arriving at a cold instance makes one query, not
// one per request; an unknown code is asked again each time, so an office
// added a moment ago is found.
func (s *Service) officeZone(ctx context.Context, code string) (*time.Location, error) {
	if loc, ok := s.zones.Load(code); ok {
		return loc.(*time.Location), nil
	}
	if !validOfficeCode(code) {
		return nil, httpx.ErrNotFound
	}
	s.zonesMu.Lock()
	defer s.zonesMu.Unlock()
	if loc, ok := s.zones.Load(code); ok {
		return loc.(*time.Location), nil
	}
	offices, err := quota.Offices(ctx, s.Pool)
	if err != nil {
		return nil, err
	}
	for _, o := range offices {
		s.zones.Store(o.Code, o.Location())
	}
	if loc, ok := s.zones.Load(code); ok {
		return loc.(*time.Location), nil
	}
	return nil, httpx.ErrNotFound
}

// validOfficeCode is CONTRACT.md's three capital letters.
func validOfficeCode(code string) bool {
	if len(code) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if code[i] < 'A' || code[i] > 'Z' {
			return false
		}
	}
	return true
}
