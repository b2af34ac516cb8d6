package office

import (
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// formFields are the office form's inputs, in order: every column of the
// offices file but the code and the time zone, which do not change here.
var formFields = []string{"name", "city", "province", "address", "effective_from", "hours", "online", "walkin",
	"priority", "release_cron", "booking_window_days", "draw_window_minutes", "waitlist_hold_minutes", "booths", "closures"}

// scheduleFields are shown for each dated version.
var scheduleFields = []string{"hours", "online", "walkin", "priority", "release_cron", "booking_window_days"}

type field struct {
	Name, Value, Error string
	Wide               bool
}

type officeView struct {
	Code, Timezone string
	Offices        []Ref // the national admin's picker (nil for an office admin)
	Fields         []field
	Versions       []Version
	ScheduleFields []string
	Errors         []field
	Saved          bool
	MissingYear    int
}

// officeCode is the office the request is about: the admin's own; the
// national admin's choice (?office=, the form's office), else their own.
func officeCode(c fiber.Ctx) (string, error) {
	p := auth.Get(c)
	code := strings.ToUpper(c.Query("office", c.FormValue("office")))
	if code == "" || code == p.Office {
		return p.Office, nil
	}
	if !p.HasRole("national_admin") {
		return "", httpx.ErrForbidden
	}
	return code, nil
}

func (s *Service) officePage(c fiber.Ctx) error {
	code, err := officeCode(c)
	if err != nil {
		return err
	}
	if code == "" { // the national admin has no office of their own: the first in the list
		refs, err := s.Dir.Offices(c.Context())
		if err != nil || len(refs) == 0 {
			return httpx.ErrNotFound
		}
		code = refs[0].Code
	}
	return s.renderOffice(c, fiber.StatusOK, code, nil, nil, c.Query("saved") == "1")
}

// renderOffice shows the office as it stands tomorrow; posted values and
// their errors, when given, replace the stored ones in the form.
func (s *Service) renderOffice(c fiber.Ctx, status int, code string, posted map[string]string, errs Invalid, saved bool) error {
	ctx := c.Context()
	cur, tomorrow, err := s.Dir.Spec(ctx, code)
	if errors.Is(err, ErrNoOffice) {
		return httpx.ErrNotFound
	}
	if err != nil {
		return err
	}
	v := officeView{Code: code, Timezone: cur["timezone"], Saved: saved, ScheduleFields: scheduleFields}
	if auth.Get(c).HasRole("national_admin") {
		if v.Offices, err = s.Dir.Offices(ctx); err != nil {
			return err
		}
	}
	cur["effective_from"] = tomorrow
	cat, lang := s.Pages.Catalog(), httpx.Lang(c)
	for _, f := range formFields {
		fl := field{Name: f, Value: cur[f], Wide: slices.Contains([]string{"name", "address", "hours", "booths", "closures"}, f)}
		if posted != nil {
			fl.Value = posted[f]
		}
		for _, e := range errs {
			if e.Field == f || e.Field == "row" && f == "name" {
				fl.Error = cat.T(lang, "offices.err."+e.Key)
			}
		}
		if fl.Error != "" {
			v.Errors = append(v.Errors, fl)
		}
		v.Fields = append(v.Fields, fl)
	}
	if v.Versions, err = s.Dir.Versions(ctx, code); err != nil {
		return err
	}
	if v.MissingYear, err = s.notice(c); err != nil {
		return err
	}
	return s.Pages.Render(c, status, "office_admin", "offices.office.title", v, false)
}

// officeSubmit saves the changed fields as a version from effective_from.
func (s *Service) officeSubmit(c fiber.Ctx) error {
	code, err := officeCode(c)
	if err != nil {
		return err
	}
	ctx := c.Context()
	cur, _, err := s.Dir.Spec(ctx, code)
	if errors.Is(err, ErrNoOffice) {
		return httpx.ErrNotFound
	}
	if err != nil {
		return err
	}
	posted, changes := map[string]string{}, map[string]string{}
	for _, f := range formFields {
		posted[f] = strings.TrimSpace(c.FormValue(f))
		if posted[f] != cur[f] || f == "effective_from" {
			changes[f] = posted[f]
		}
	}
	err = s.Dir.Set(ctx, code, changes, actor(auth.Get(c)))
	var inv Invalid
	if errors.As(err, &inv) {
		return s.renderOffice(c, fiber.StatusUnprocessableEntity, code, posted, inv, false)
	}
	if err != nil {
		return err
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To(Path + "?office=" + code + "&saved=1")
}
