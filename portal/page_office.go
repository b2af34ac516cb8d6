package portal

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/quota"
)

// calendarDays is how many days the office's pages show: every day that can
// be open for booking, today through the last day of the window (the day
// released last, whose draw may be open, included).
func calendarDays(o quota.Office) int { return max(1, o.WindowDays+1) }

type calDay struct {
	Date       string
	Num        int
	Label      string // the full date, for screen readers
	Class      string // is-open, is-full, is-closed, is-unreleased, is-outside
	Short      string // what the cell shows
	Long       string // the same, in full
	Href       string // the booking form, when bookable
	Today      bool
	Outside    bool   // padding before the first day
	Stock      string // low or out: the office's blanks run short by this day
	StockShort string
}

type officeView struct {
	view
	Office   quota.Office
	Zone     string
	Weekdays []string
	Days     []calDay
	From, To string
	NoQuota  bool // the quota service is not available
}

func (s *Service) officePage(c fiber.Ctx) error {
	if canon, ok := canonicalOfficePath(c); ok {
		return c.Redirect().Status(fiber.StatusMovedPermanently).To(canon)
	}
	o, err := s.office(c.Context(), c.Params("code"))
	if err != nil {
		return err
	}
	v := officeView{view: s.newView(c), Office: o}
	loc := o.Location()
	today := o.Day(s.Clock.Now())
	v.Zone = zoneAbbrev(today.In(loc))
	v.From, v.To = s.longDate(v.Lang, today), s.longDate(v.Lang, today.AddDate(0, 0, calendarDays(o)-1))
	for _, wd := range []int{1, 2, 3, 4, 5, 6, 0} {
		v.Weekdays = append(v.Weekdays, s.cat().T(v.Lang, "portal.weekday_short."+strconv.Itoa(wd)))
	}
	if s.Quota == nil {
		v.NoQuota = true
		return s.render(c, fiber.StatusOK, "portal_office", "portal.office.title", v)
	}
	days, err := s.Quota.Calendar(c.Context(), o.Code, today, calendarDays(o))
	if err != nil {
		return err
	}
	// Monday-first grid: pad the first week.
	for i := 0; i < (int(today.Weekday())+6)%7; i++ {
		v.Days = append(v.Days, calDay{Class: "is-outside", Outside: true})
	}
	notes := s.blankNotes(c, o.Code, today, days)
	for _, d := range days {
		cd := s.calendarDay(v.Lang, d, loc, today)
		if n, ok := notes[cd.Date]; ok {
			cd.Stock = n.Level
			cd.StockShort = s.cat().T(v.Lang, "printing.outlook."+n.Level+"_short")
			cd.Long += " " + s.cat().T(v.Lang, "printing.outlook."+n.Level, "type",
				s.cat().T(v.Lang, "printing.book_type."+n.BookType))
		}
		v.Days = append(v.Days, cd)
	}
	return s.render(c, fiber.StatusOK, "portal_office", "portal.office.title", v)
}

// blankNotes is the worst blank-stock note of each day (date → note); a
// failing ledger leaves the calendar as it is rather than hiding it.
func (s *Service) blankNotes(c fiber.Ctx, office string, today time.Time, days []quota.DayStatus) map[string]BlankDay {
	if s.Blanks == nil {
		return nil
	}
	dates := make([]time.Time, len(days))
	for i, d := range days {
		dates[i] = d.Date
	}
	out, err := s.Blanks.Outlook(c.Context(), office, today, dates)
	if err != nil {
		if s.Log != nil {
			s.Log.Warn("blank stock outlook failed", "office", office, "err", err)
		}
		return nil
	}
	notes := map[string]BlankDay{}
	for _, b := range out {
		k := b.Date.Format(dateLayout)
		if prev, ok := notes[k]; !ok || prev.Level != "out" {
			notes[k] = b
		}
	}
	return notes
}

// calendarDay says what a citizen can do on a day, and why not.
func (s *Service) calendarDay(lang string, d quota.DayStatus, loc *time.Location, today time.Time) calDay {
	t := func(key string, p ...any) string { return s.cat().T(lang, key, p...) }
	cd := calDay{Date: d.Date.Format(dateLayout), Num: d.Date.Day(), Label: s.longDate(lang, d.Date), Today: d.Date.Equal(today)}
	book := bookHref(d.Office, cd.Date)
	switch {
	case d.Open && d.Online.Remaining > 0:
		cd.Class, cd.Href = "is-open", book
		cd.Short = t("portal.cal.remaining_short", "n", d.Online.Remaining)
		cd.Long = t("portal.cal.remaining", "n", d.Online.Remaining)
		if d.InDraw {
			cd.Long += " " + t("portal.cal.in_draw", "time", clockTime(d.DrawClosesAt, loc))
		}
	case d.Open:
		cd.Class, cd.Href = "is-full", book
		cd.Short, cd.Long = t("portal.cal.full_short"), t("portal.cal.full")
	case d.Reason == quota.ReasonNotReleased:
		cd.Class = "is-unreleased"
		if d.ReleasesAt.IsZero() {
			cd.Short, cd.Long = t("portal.cal.unreleased_short"), t("portal.cal.unreleased")
		} else {
			rl := d.ReleasesAt.In(loc)
			cd.Short = t("portal.cal.opens_short", "date", rl.Format("2/1"), "time", rl.Format("15:04"))
			cd.Long = t("portal.cal.opens", "when", s.moment(lang, d.ReleasesAt, loc))
		}
	default:
		cd.Class = "is-closed"
		reason := d.Reason
		if !knownReasons[reason] {
			reason = quota.ReasonClosed
		}
		cd.Short = t("portal.cal.short." + reason)
		cd.Long = t("portal.cal.long."+reason, "holiday", d.HolidayName)
	}
	return cd
}
