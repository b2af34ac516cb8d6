// Package office is the admin console for offices and holidays: an office's
// identity and its dated schedule (hours, capacities, release rules, booths,
// closures) for its admin or the national admin, and the national holidays
// for the national admin. The rules and tables are the quota domain's; this
// package only shows and submits, through Directory, which the wiring
// connects to quota (quota has no HTTP).
package office

import (
	"context"
	"errors"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
)

// Paths and the roles their guards let in.
const (
	Path         = "/backoffice/office"
	HolidaysPath = "/backoffice/holidays"
)

var (
	// Roles edit an office: an admin their own, the national admin any.
	Roles = []string{"admin", "national_admin"}
	// HolidayRoles edit the national holidays.
	HolidayRoles = []string{"national_admin"}
	// Pages are the menu entries.
	Pages = []frontend.OfficerPage{{Path: Path, LabelKey: "offices.nav.office", Roles: Roles},
		{Path: HolidaysPath, LabelKey: "offices.nav.holidays", Roles: HolidayRoles}}
)

// Ref names an office for the national admin's picker.
type Ref struct{ Code, Name string }

// Version is a dated schedule version.
type Version struct {
	From   string            // YYYY-MM-DD ("" for the office's base rules)
	Fields map[string]string // the offices file's columns
}

// Holiday is a day off; Office is empty for the whole country.
type Holiday struct {
	Day, Kind, Name, Office string
}

// FieldError is a refused value: the form field and a locale key (offices.err.*).
type FieldError struct {
	Field, Key, Msg string
}

// Invalid refuses a change; nothing was written.
type Invalid []FieldError

func (e Invalid) Error() string { return "office: refused values" }

// ErrNoOffice is an unknown office code.
var ErrNoOffice = errors.New("office: no such office")

// Directory is the quota side: offices, their schedules and the holidays.
type Directory interface {
	Offices(ctx context.Context) ([]Ref, error)
	// Spec is the office as it stands tomorrow (its zone) and that day.
	Spec(ctx context.Context, code string) (fields map[string]string, tomorrow string, err error)
	Versions(ctx context.Context, code string) ([]Version, error)
	Set(ctx context.Context, code string, changes map[string]string, actor string) error
	Holidays(ctx context.Context, year int) ([]Holiday, error)
	AddHoliday(ctx context.Context, h Holiday, actor string) error
	RemoveHoliday(ctx context.Context, day, office, actor string) (bool, error)
	// MissingCalendar is the year whose holidays the admins must load now (0: none).
	MissingCalendar(ctx context.Context) (int, error)
}

// Service serves the pages.
type Service struct {
	Dir   Directory
	Pages *frontend.Renderer
	// Year is the current year for the holidays page's default.
	Year func() int
}

// PageRoutes registers the pages behind guard (the officer page guard).
func (s *Service) PageRoutes(r fiber.Router, guard func(roles ...string) fiber.Handler) {
	r.Get(Path, guard(Roles...), s.officePage)
	r.Post(Path, guard(Roles...), s.officeSubmit)
	r.Get(HolidaysPath, guard(HolidayRoles...), s.holidaysPage)
	r.Post(HolidaysPath, guard(HolidayRoles...), s.holidayAdd)
	r.Post(HolidaysPath+"/remove", guard(HolidayRoles...), s.holidayRemove)
}

func actor(p auth.Principal) string { return "officer:" + p.Subject }

// notice is the banner of a year without holidays, or "".
func (s *Service) notice(c fiber.Ctx) (int, error) {
	return s.Dir.MissingCalendar(c.Context())
}
