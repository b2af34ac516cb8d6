package devices

import (
	"errors"
	"net/url"
	"strings"
	"time"

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
	Devices []deviceRow
	Revoked string
	Kinds   []string
	// The create form: what was typed, what was wrong, what it made.
	Kind, Name  string
	FieldErrors map[string]string
	Created     *createdView
}

// deviceRow is a device with its times in the office's zone.
type deviceRow struct {
	Device
	Seen, CodeUntil string
}

type createdView struct {
	Name, Kind, Code, Until string
	expires                 time.Time
}

// localTime is t on the office's clock, e.g. "02-03-2026 09:05 WIB".
func localTime(t time.Time, h OfficeHours) string {
	return t.In(h.Location()).Format("02-01-2006 15:04") + " " + zoneAbbrev(h.Timezone)
}

func (s *Service) renderAdmin(c fiber.Ctx, status int, v adminView) error {
	p := auth.Get(c)
	now := s.Clock.Now()
	list, err := s.Registry.List(c.Context(), p.Office, now)
	if err != nil {
		return err
	}
	h, err := s.officeHours(c.Context(), p.Office)
	if err != nil {
		return err
	}
	v.Office, v.Kinds = p.Office, Kinds
	for _, d := range list {
		r := deviceRow{Device: d}
		if d.LastSeenAt != nil {
			r.Seen = localTime(*d.LastSeenAt, h)
		}
		if d.CodeExpiresAt != nil {
			r.CodeUntil = localTime(*d.CodeExpiresAt, h)
		}
		v.Devices = append(v.Devices, r)
	}
	if v.Created != nil {
		v.Created.Until = localTime(v.Created.expires, h)
	}
	return s.Pages.Render(c, status, "devices_admin", "queue.devices.title", v, false)
}

func (s *Service) adminPage(c fiber.Ctx) error {
	return s.renderAdmin(c, fiber.StatusOK, adminView{Revoked: c.Query("revoked")})
}

// adminCreate makes a device awaiting enrolment and shows its code once.
func (s *Service) adminCreate(c fiber.Ctx) error {
	p := auth.Get(c)
	kind, name := strings.TrimSpace(c.FormValue("kind")), strings.TrimSpace(c.FormValue("name"))
	e, err := s.Registry.CreateForEnrolment(c.Context(), p.Office, kind, name, "officer:"+p.Subject, s.Clock.Now())
	if err != nil {
		he, ok := httpx.As(err)
		if !ok || !he.HasFields() {
			return err
		}
		v := adminView{Kind: kind, Name: name, FieldErrors: map[string]string{}}
		cat, lang := s.Pages.Catalog(), httpx.Lang(c)
		for f, m := range he.Fields {
			v.FieldErrors[f] = cat.T(lang, m.Key, m.Params...)
		}
		return s.renderAdmin(c, he.Status, v)
	}
	// Not kept in history: the code is shown once.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.renderAdmin(c, fiber.StatusCreated, adminView{Created: &createdView{Name: e.Device.Name, Kind: e.Device.Kind, Code: FormatEnrolCode(e.Code), expires: e.ExpiresAt}})
}

func (s *Service) adminRevoke(c fiber.Ctx) error {
	d, err := s.revoke(c)
	if err != nil {
		return err
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice/devices?revoked=" + url.QueryEscape(d.Name))
}
