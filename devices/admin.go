package devices

import (
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v3"
	"github.com/google/uuid"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

type devicesResponse struct {
	Devices []Device `json:"devices"`
}

func (s *Service) apiList(c fiber.Ctx) error {
	list, err := s.Registry.List(c.Context(), auth.Get(c).Office, s.Clock.Now())
	if err != nil {
		return err
	}
	return c.JSON(devicesResponse{Devices: list})
}

// revoke revokes a device of the officer's own office (another office's is 404).
func (s *Service) revoke(c fiber.Ctx) (Device, error) {
	id, err := uuid.Parse(c.Params("id"))
	if err != nil {
		return Device{}, httpx.ErrNotFound
	}
	p := auth.Get(c)
	now := s.Clock.Now()
	if err := s.Registry.Revoke(c.Context(), p.Office, id, "officer:"+p.Subject, now); err != nil {
		return Device{}, err
	}
	list, err := s.Registry.List(c.Context(), p.Office, now)
	if err != nil {
		return Device{}, err
	}
	for _, d := range list {
		if d.ID == id {
			return d, nil
		}
	}
	return Device{}, errors.New("revoked device vanished")
}

func (s *Service) apiRevoke(c fiber.Ctx) error {
	d, err := s.revoke(c)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

type adminView struct {
	Office  string
	Devices []Device
	Revoked string
}

func (s *Service) adminPage(c fiber.Ctx) error {
	p := auth.Get(c)
	list, err := s.Registry.List(c.Context(), p.Office, s.Clock.Now())
	if err != nil {
		return err
	}
	return s.Pages.Render(c, fiber.StatusOK, "devices_admin", "queue.devices.title",
		adminView{Office: p.Office, Devices: list, Revoked: c.Query("revoked")}, false)
}

func (s *Service) adminRevoke(c fiber.Ctx) error {
	d, err := s.revoke(c)
	if err != nil {
		return err
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice/devices?revoked=" + url.QueryEscape(d.Name))
}
