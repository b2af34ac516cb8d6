package devices

import (
	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

type renameRequest struct {
	Name string `json:"name"`
}

type moveRequest struct {
	// Booth is the office's booth number; 0 or absent: none (the office at large).
	Booth int `json:"booth"`
}

func (s *Service) apiRename(c fiber.Ctx) error {
	d, err := s.officeDevice(c)
	if err != nil {
		return err
	}
	var req renameRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		return err
	}
	p := auth.Get(c)
	if err := s.Registry.Rename(c.Context(), p.Office, d.ID, req.Name, "officer:"+p.Subject, s.Clock.Now()); err != nil {
		return err
	}
	d, err = s.officeDevice(c)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

func (s *Service) apiMove(c fiber.Ctx) error {
	d, err := s.officeDevice(c)
	if err != nil {
		return err
	}
	var req moveRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		return err
	}
	if req.Booth < 0 {
		return httpx.Invalid().Field("booth", "admin.device.booth_unknown").OrNil()
	}
	p := auth.Get(c)
	if err := s.Registry.Move(c.Context(), p.Office, d.ID, req.Booth, s.Booths, "officer:"+p.Subject, s.Clock.Now()); err != nil {
		return err
	}
	d, err = s.officeDevice(c)
	if err != nil {
		return err
	}
	return c.JSON(d)
}
