package devices

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v3"
	"github.com/google/uuid"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// One device of the office on its own page: rename, move to a booth, revoke.

type deviceView struct {
	Office      string
	Device      deviceRow
	Booths      []boothChoice
	Name        string
	FieldErrors map[string]string
	Saved       string
}

type boothChoice struct {
	Number   int
	Selected bool
}

// officeDevice is the office's device of the path (another office's is 404).
func (s *Service) officeDevice(c fiber.Ctx) (Device, error) {
	id, err := uuid.Parse(c.Params("id"))
	if err != nil {
		return Device{}, httpx.ErrNotFound
	}
	list, err := s.Registry.List(c.Context(), auth.Get(c).Office, s.Clock.Now())
	if err != nil {
		return Device{}, err
	}
	for _, d := range list {
		if d.ID == id {
			return d, nil
		}
	}
	return Device{}, httpx.ErrNotFound
}

func (s *Service) renderDevice(c fiber.Ctx, status int, v deviceView) error {
	d, err := s.officeDevice(c)
	if err != nil {
		return err
	}
	office := auth.Get(c).Office
	h, err := s.officeHours(c.Context(), office)
	if err != nil {
		return err
	}
	v.Office, v.Device = office, deviceRow{Device: d}
	if d.LastSeenAt != nil {
		v.Device.Seen = localTime(*d.LastSeenAt, h)
	}
	if v.Name == "" {
		v.Name = d.Name
	}
	if s.Booths != nil {
		numbers, err := s.Booths.BoothNumbers(c.Context(), office)
		if err != nil {
			return err
		}
		for _, n := range numbers {
			v.Booths = append(v.Booths, boothChoice{Number: n, Selected: d.Booth != nil && *d.Booth == n})
		}
	}
	return s.Pages.Render(c, status, "devices_device", "admin.device.title", v, false)
}

func (s *Service) devicePage(c fiber.Ctx) error {
	return s.renderDevice(c, fiber.StatusOK, deviceView{Saved: savedKey(c.Query("saved"))})
}

func savedKey(k string) string {
	if k == "renamed" || k == "moved" {
		return k
	}
	return ""
}

// formError shows a refused change on the page, naming the field.
func (s *Service) formError(c fiber.Ctx, err error, v deviceView) error {
	he, ok := httpx.As(err)
	if !ok || !he.HasFields() {
		return err
	}
	v.FieldErrors = map[string]string{}
	cat, lang := s.Pages.Catalog(), httpx.Lang(c)
	for f, m := range he.Fields {
		v.FieldErrors[f] = cat.T(lang, m.Key, m.Params...)
	}
	return s.renderDevice(c, he.Status, v)
}

func (s *Service) deviceRename(c fiber.Ctx) error {
	d, err := s.officeDevice(c)
	if err != nil {
		return err
	}
	p := auth.Get(c)
	name := strings.TrimSpace(c.FormValue("name"))
	if err := s.Registry.Rename(c.Context(), p.Office, d.ID, name, "officer:"+p.Subject, s.Clock.Now()); err != nil {
		return s.formError(c, err, deviceView{Name: name})
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice/devices/" + d.ID.String() + "?saved=renamed")
}

func (s *Service) deviceMove(c fiber.Ctx) error {
	d, err := s.officeDevice(c)
	if err != nil {
		return err
	}
	booth, err := strconv.Atoi(c.FormValue("booth", "0"))
	if err != nil || booth < 0 {
		return s.formError(c, httpx.Invalid().Field("booth", "admin.device.booth_unknown").OrNil(), deviceView{})
	}
	p := auth.Get(c)
	if err := s.Registry.Move(c.Context(), p.Office, d.ID, booth, s.Booths, "officer:"+p.Subject, s.Clock.Now()); err != nil {
		return s.formError(c, err, deviceView{})
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice/devices/" + d.ID.String() + "?saved=moved")
}
