package report

import (
	"context"
	"errors"
	"regexp"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// Roles read the recap: the office head (validator) their office, the
// regional head their region and its offices, the admin any office or region.
var Roles = []string{"validator", "regional_head", "admin"}

// AuditRoles read the office's audit log: the office head and the admin.
var AuditRoles = []string{"validator", "admin"}

// Scope is what one request reports on: one office, or a whole region.
type Scope struct {
	Office, Region string
	Day            time.Time
	Zone           *time.Location
}

var (
	officeCode = regexp.MustCompile(`^[A-Z]{3}$`)
	regionName = regexp.MustCompile(`^[\p{L}0-9 .'-]{1,60}$`)
)

// scopeOf reads ?office=, ?region= and ?date= against the officer's own
// scope. An office outside it is 404, as if it did not exist.
func (s *Service) scopeOf(c fiber.Ctx) (Scope, error) {
	p := auth.Get(c)
	office, region := c.Query("office"), c.Query("region")
	bad := httpx.Invalid()
	if office != "" && !officeCode.MatchString(office) {
		bad.Field("office", "report.field.office")
	}
	if region != "" && !regionName.MatchString(region) {
		bad.Field("region", "report.field.region")
	}
	if bad.HasFields() {
		return Scope{}, bad
	}
	var sc Scope
	switch {
	case p.HasRole("admin") && office == "" && region != "":
		sc.Region = region
	case p.HasRole("admin"):
		sc.Office = or(office, p.Office)
	case p.HasRole("regional_head") && office == "":
		sc.Region = p.Region
	case p.HasRole("regional_head"):
		sc.Office = office
	default: // the office head: own office only
		if office != "" && office != p.Office {
			return sc, httpx.ErrNotFound
		}
		sc.Office = p.Office
	}
	if err := s.check(c.Context(), &sc, p); err != nil {
		return sc, err
	}
	return sc, s.dayOf(c, &sc)
}

// check makes sure the office exists (and, for a regional head, is in
// their region) and finds the zone its days are counted in.
func (s *Service) check(ctx context.Context, sc *Scope, p auth.Principal) error {
	code := sc.Office
	if sc.Region != "" {
		offices, err := s.Apps.OfficesOf(ctx, sc.Region)
		if err != nil {
			return err
		}
		if len(offices) == 0 {
			return httpx.ErrNotFound
		}
		code = offices[0][0]
	} else {
		_, region, err := s.Apps.OfficeInfo(ctx, code)
		if errors.Is(err, application.ErrNotFound) || (err == nil && !p.HasRole("admin") && p.Region != "" && region != p.Region) {
			return httpx.ErrNotFound
		}
		if err != nil {
			return err
		}
	}
	loc, err := s.Zone(ctx, code)
	sc.Zone = loc
	return err
}

func (s *Service) dayOf(c fiber.Ctx, sc *Scope) error {
	d := c.Query("date")
	if d == "" {
		sc.Day = civil.Day(s.Clock.Now(), sc.Zone)
		return nil
	}
	day, err := civil.ParseDate(d)
	if err != nil {
		return httpx.Invalid().Field("date", "report.field.date")
	}
	sc.Day = day
	return nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
