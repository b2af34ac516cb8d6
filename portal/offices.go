package portal

import (
	"github.com/gofiber/fiber/v3"
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
