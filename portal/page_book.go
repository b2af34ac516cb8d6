package portal

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/quota"
)

// bookFields is the form's order, for the error summary.
var bookFields = []string{"office", "date", "service", "nik", "full_name", "birth_date", "sex"}

type dateOption struct {
	Value, Label string
	Selected     bool
	Full         bool      // open, but no seat left: the waitlist is the way in
	DrawCloses   time.Time // in its release draw until then (zero: not)
}

type option struct {
	Value, Label string
}

type bookView struct {
	view
	Offices  []option // when no office is chosen yet
	Office   quota.Office
	Dates    []dateOption
	Services []option
	Form     bookingBody
	Waitlist bool // offer to join the waitlist instead
	// ActiveBooking is the caller's booking that already holds this NIK (409).
	ActiveBooking string
}

func (s *Service) bookPage(c fiber.Ctx) error {
	form := bookingBody{Office: strings.ToUpper(c.Query("office")), Date: c.Query("date"), Service: c.Query("service")}
	return s.renderBook(c, http.StatusOK, form, nil)
}

func (s *Service) bookSubmit(c fiber.Ctx) error {
	form := bookingBody{Office: c.FormValue("office"), Date: c.FormValue("date"), Service: c.FormValue("service"),
		NIK: c.FormValue("nik"), FullName: c.FormValue("full_name"), BirthDate: c.FormValue("birth_date"), Sex: c.FormValue("sex")}
	phone, _ := s.sessionPhone(c)
	b, err := s.createBooking(c.Context(), form, phone, httpx.ClientKey(c), c.FormValue("action") == "waitlist")
	if err == nil {
		return c.Redirect().Status(http.StatusSeeOther).To("/bookings/" + b.Code)
	}
	return s.renderBook(c, statusOf(err), form, err)
}

// renderBook shows the office chooser, or the form for one office with its
// bookable days; err (if any) becomes inline messages.
func (s *Service) renderBook(c fiber.Ctx, status int, form bookingBody, err error) error {
	v := bookView{view: s.newView(c), Form: form, ActiveBooking: activeBookingCode(err)}
	v.Form.BirthDate = dateInputValue(form.BirthDate)
	if err != nil {
		if err := s.addError(c, &v.view, err, bookFields...); err != nil {
			return err
		}
		v.Waitlist = isCode(err, "quota_exhausted")
	}
	o, oerr := s.office(c.Context(), strings.ToUpper(strings.TrimSpace(form.Office)))
	if oerr != nil {
		if _, ok := httpx.As(oerr); !ok {
			return oerr
		}
		return s.renderOfficeChooser(c, status, v)
	}
	v.Office = o
	for _, code := range Services {
		v.Services = append(v.Services, option{Value: code, Label: s.cat().T(v.Lang, "portal.service."+code)})
	}
	dates, err := s.dateOptions(c, o, form.Date)
	if err != nil {
		return err
	}
	v.Dates = dates
	for _, d := range dates {
		v.Waitlist = v.Waitlist || (d.Selected && d.Full)
	}
	return s.render(c, status, "portal_book", "portal.book.title", v)
}

func (s *Service) renderOfficeChooser(c fiber.Ctx, status int, v bookView) error {
	offices, err := s.Directory.Offices(c.Context())
	if err != nil {
		return err
	}
	for _, o := range offices {
		v.Offices = append(v.Offices, option{Value: o.Code, Label: o.Name})
	}
	return s.render(c, status, "portal_book", "portal.book.title", v)
}

// dateOptions lists the office's days that can be booked (or waitlisted:
// open but full), keeping the chosen date even when it is not.
func (s *Service) dateOptions(c fiber.Ctx, o quota.Office, chosen string, skip ...string) ([]dateOption, error) {
	lang := httpx.Lang(c)
	var out []dateOption
	found := false
	if s.Quota != nil {
		days, err := s.Quota.Calendar(c.Context(), o.Code, o.Day(s.Clock.Now()), calendarDays(o))
		if err != nil {
			return nil, err
		}
		for _, d := range days {
			value := d.Date.Format(dateLayout)
			if !d.Open || slices.Contains(skip, value) {
				continue
			}
			label := s.longDate(lang, d.Date) + " — "
			if d.Online.Remaining > 0 {
				label += s.cat().T(lang, "portal.cal.remaining_short", "n", d.Online.Remaining)
			} else {
				label += s.cat().T(lang, "portal.cal.full_short")
			}
			found = found || value == chosen
			opt := dateOption{Value: value, Label: label, Selected: value == chosen, Full: d.Online.Remaining == 0}
			if d.InDraw {
				opt.DrawCloses = d.DrawClosesAt
			}
			out = append(out, opt)
		}
	}
	if !found && chosen != "" {
		if day, err := parseDate(chosen); err == nil {
			out = append([]dateOption{{Value: chosen, Label: s.longDate(lang, day), Selected: true}}, out...)
		}
	}
	return out, nil
}

func isCode(err error, code string) bool {
	e, ok := httpx.As(err)
	return ok && e.Code == code
}

// bookHref is the form for an office and day.
func bookHref(office, date string) string {
	return "/book?office=" + url.QueryEscape(office) + "&date=" + url.QueryEscape(date)
}
