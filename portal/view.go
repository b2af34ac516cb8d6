package portal

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/i18n"
)

// view is the shared part of every portal page's data.
type view struct {
	Lang string
	CSRF string
	// Errors maps a field name to its translated message; Summary lists them
	// in form order for the error summary.
	Errors  map[string]string
	Summary []fieldErrorView
	Alert   string // a form-level error (not tied to a field)
	Notice  string // a success message
}

type fieldErrorView struct {
	Field, Message string
}

func (s *Service) newView(c fiber.Ctx) view {
	return view{Lang: httpx.Lang(c), CSRF: s.csrfToken(c), Errors: map[string]string{}}
}

// addError turns an *httpx.Error into inline messages (fields, in order) and
// an alert for its code. Other errors are returned for the error handler,
// except a busy database: the form comes back with what the citizen typed,
// the alert saying nothing changed, and Retry-After.
func (s *Service) addError(c fiber.Ctx, v *view, err error, order ...string) error {
	e, ok := httpx.As(err)
	if !ok || e.Status >= 500 && e.Code != "database_busy" {
		return err
	}
	for k, val := range e.Headers { // Retry-After on a throttled or busy form
		c.Set(k, val)
	}
	cat := s.Pages.Catalog()
	for name, f := range e.Fields {
		v.Errors[name] = cat.T(v.Lang, f.Key, f.Params...)
	}
	for _, name := range order {
		if m, ok := v.Errors[name]; ok {
			v.Summary = append(v.Summary, fieldErrorView{Field: name, Message: m})
		}
	}
	if len(e.Fields) == 0 || e.Code != "validation_failed" {
		v.Alert = cat.T(v.Lang, "err."+e.Code, e.Params...)
	}
	return nil
}

func (s *Service) cat() *i18n.Catalog { return s.Pages.Catalog() }

// longDate is "Kamis, 5 Maret 2026" for a calendar day.
func (s *Service) longDate(lang string, day time.Time) string {
	return s.cat().T(lang, "portal.date.long", "weekday", s.cat().T(lang, "portal.weekday."+strconv.Itoa(int(day.Weekday()))),
		"day", day.Day(), "month", s.cat().T(lang, "portal.month."+strconv.Itoa(int(day.Month()))), "year", day.Year())
}

// moment is "Jumat, 6 Maret 2026 14.00 WIB": an instant in an office's zone.
func (s *Service) moment(lang string, t time.Time, loc *time.Location) string {
	lt := t.In(loc)
	day := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC)
	return s.cat().T(lang, "portal.date.moment", "date", s.longDate(lang, day), "time", lt.Format("15:04"), "zone", zoneAbbrev(lt))
}

// clockTime is "14:00 WIB".
func clockTime(t time.Time, loc *time.Location) string {
	lt := t.In(loc)
	return lt.Format("15:04") + " " + zoneAbbrev(lt)
}

// render renders a portal page; the layout shows "sign out" when signed in,
// a form that carries the CSRF token like every other.
func (s *Service) render(c fiber.Ctx, status int, page, titleKey string, data any) error {
	_, signedIn := s.sessionPhone(c)
	if signedIn {
		frontend.SetCSRF(c, s.csrfToken(c))
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.Pages.Render(c, status, page, titleKey, data, signedIn)
}

func asHTTP(err error) (*httpx.Error, bool) { return httpx.As(err) }

// statusOf is the HTTP status a page answers with after err.
func statusOf(err error) int {
	if e, ok := httpx.As(err); ok {
		return e.Status
	}
	return http.StatusInternalServerError
}

// jakarta is WIB, for times not tied to one office.
var jakarta = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return time.FixedZone("WIB", 7*3600)
	}
	return loc
}()
