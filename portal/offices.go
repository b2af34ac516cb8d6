package portal

import (
	"context"
	"errors"

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
