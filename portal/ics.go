package portal

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/quota"
)

// icsEvent is what a booking's calendar file says.
type icsEvent struct {
	UID         string
	Stamp       time.Time // DTSTAMP: when the file was made
	Sequence    int
	Day         time.Time // calendar day (midnight UTC)
	Opens       string    // "08:00" in the office's zone
	Closes      string
	Loc         *time.Location
	Summary     string
	Description string
	Location    string
	Cancelled   bool
}

// renderICS writes an RFC 5545 VCALENDAR with one VEVENT in the office's
// time zone (with its VTIMEZONE: Indonesia's zones have no daylight saving).
func renderICS(e icsEvent) []byte {
	var b strings.Builder
	line := func(s string) { b.WriteString(foldICS(s)) }
	start, end := localTime(e.Day, e.Opens, e.Loc), localTime(e.Day, e.Closes, e.Loc)
	_, off := start.Zone()
	offset := fmt.Sprintf("%+03d%02d", off/3600, (off%3600)/60)
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//SPPT//Layanan Paspor//ID")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("BEGIN:VTIMEZONE")
	line("TZID:" + e.Loc.String())
	line("BEGIN:STANDARD")
	line("DTSTART:19700101T000000")
	line("TZOFFSETFROM:" + offset)
	line("TZOFFSETTO:" + offset)
	line("TZNAME:" + zoneAbbrev(start))
	line("END:STANDARD")
	line("END:VTIMEZONE")
	line("BEGIN:VEVENT")
	line("UID:" + e.UID)
	line("DTSTAMP:" + e.Stamp.UTC().Format("20060102T150405Z"))
	line(fmt.Sprintf("SEQUENCE:%d", e.Sequence))
	line("DTSTART;TZID=" + e.Loc.String() + ":" + start.Format("20060102T150405"))
	line("DTEND;TZID=" + e.Loc.String() + ":" + end.Format("20060102T150405"))
	line("SUMMARY:" + escapeICS(e.Summary))
	line("DESCRIPTION:" + escapeICS(e.Description))
	line("LOCATION:" + escapeICS(e.Location))
	if e.Cancelled {
		line("STATUS:CANCELLED")
	} else {
		line("STATUS:CONFIRMED")
	}
	line("TRANSP:OPAQUE")
	line("END:VEVENT")
	line("END:VCALENDAR")
	return []byte(b.String())
}

// localTime is hh:mm on day in loc.
func localTime(day time.Time, hhmm string, loc *time.Location) time.Time {
	var h, m int
	_, _ = fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc)
}

// escapeICS escapes TEXT values (RFC 5545 §3.3.11).
func escapeICS(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// foldICS ends a content line with CRLF, folding it into lines of at most 75
// octets without splitting a UTF-8 character (RFC 5545 §3.1).
func foldICS(s string) string {
	var b strings.Builder
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the continuation's leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	return b.String()
}

// icsSequenceEpoch anchors SEQUENCE, which grows each minute so a calendar
// that imports the file again after a reschedule takes the newer one.
var icsSequenceEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// bookingICS builds the calendar file of one booking, in lang.
func (s *Service) bookingICS(c fiber.Ctx, b quota.Booking) ([]byte, error) {
	o, err := s.office(c.Context(), b.Office)
	if err != nil {
		return nil, err
	}
	lang, cat := httpx.Lang(c), s.Pages.Catalog()
	now := s.Clock.Now()
	seq := int(now.Sub(icsSequenceEpoch) / time.Minute)
	if seq < 0 {
		seq = 0
	}
	return renderICS(icsEvent{
		UID: strings.ToLower(b.Code) + "@sppt.booking", Stamp: now, Sequence: seq, Day: b.Date,
		Opens: o.Opens, Closes: o.Closes, Loc: o.Location(),
		Summary:     cat.T(lang, "portal.ics.summary", "office", o.Name),
		Description: cat.T(lang, "portal.ics.description", "code", b.Code, "service", cat.T(lang, "portal.service."+b.Service)),
		Location:    o.Name + ", " + o.Address,
		Cancelled:   b.Status == quota.StatusCancelled,
	}), nil
}

func (s *Service) getICS(c fiber.Ctx) error {
	b, err := s.ownBooking(c.Context(), phoneOf(c), c.Params("code"))
	if err != nil {
		return err
	}
	return s.sendICS(c, b)
}

func (s *Service) sendICS(c fiber.Ctx, b quota.Booking) error {
	body, err := s.bookingICS(c, b)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="booking-`+b.Code+`.ics"`)
	return c.Send(body)
}
