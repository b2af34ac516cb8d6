package portal

import (
	"net/http"
	"time"

	"github.com/gofiber/fiber/v3"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/sppt/sppt/quota"
)

// bookingItem is a booking as the pages show it.
type bookingItem struct {
	Code        string
	Office      string
	OfficeName  string
	Address     string
	Date        string // long, localised
	DateValue   string // YYYY-MM-DD
	Service     string
	Status      string
	StatusLabel string
	StatusClass string
	State       string // the draw or waitlist situation, in words
	CanCancel   bool
	CanMove     bool
	CanAccept   bool
	ShowQR      bool
	CheckedIn   bool // at the office already: the ticket, not the QR code
}

type bookingsView struct {
	view
	Bookings []bookingItem
}

type bookingView struct {
	view
	B         bookingItem
	Dates     []dateOption // for the reschedule form
	DrawNotes []string     // days left out of it: their release draw is open
	Prepare   *prepare     // hours, documents and fees, for a visit still to come
	CheckIn   *CheckIn     // the ticket and application, once checked in
}

func (s *Service) item(c fiber.Ctx, lang string, b quota.Booking) bookingItem {
	t := func(key string, p ...any) string { return s.cat().T(lang, key, p...) }
	it := bookingItem{Code: b.Code, Office: b.Office, OfficeName: b.Office, Date: s.longDate(lang, b.Date),
		DateValue: b.Date.Format(dateLayout), Service: t("portal.service." + b.Service), Status: b.Status,
		StatusLabel: t("portal.status_label." + b.Status), StatusClass: "badge-info"}
	loc := time.UTC
	if o, err := s.office(c.Context(), b.Office); err == nil {
		it.OfficeName, it.Address, loc = o.Name, o.Address, o.Location()
	}
	now := s.Clock.Now()
	switch b.Status {
	case quota.StatusBooked:
		it.StatusClass, it.ShowQR, it.CanCancel, it.CanMove = "badge-open", true, true, true
	case quota.StatusCheckedIn:
		it.StatusClass, it.CheckedIn = "badge-open", true
	case quota.StatusEntered:
		it.CanCancel = true
		it.StatusClass = "badge-unreleased"
		if !b.DrawClosesAt.IsZero() {
			it.State = t("portal.state.entered", "when", s.moment(lang, b.DrawClosesAt, loc))
		}
	case quota.StatusWaitlisted:
		it.CanCancel = true
		it.StatusClass = "badge-unreleased"
		if !b.OfferExpiresAt.IsZero() && b.OfferExpiresAt.After(now) {
			it.CanAccept = true
			it.State = t("portal.state.offer", "when", s.moment(lang, b.OfferExpiresAt, loc))
		} else if b.WaitlistPos > 0 {
			it.State = t("portal.state.waitlisted", "n", b.WaitlistPos)
		}
	case quota.StatusCancelled, quota.StatusExpired, quota.StatusNoShow:
		it.StatusClass = "badge-full"
	}
	return it
}

func (s *Service) bookingsPage(c fiber.Ctx) error {
	v := bookingsView{view: s.newView(c)}
	q, err := s.quotaService()
	if err != nil {
		return err
	}
	phone, _ := s.sessionPhone(c)
	list, err := q.Bookings(c.Context(), phone)
	if err != nil {
		return err
	}
	for _, b := range list {
		v.Bookings = append(v.Bookings, s.item(c, v.Lang, b))
	}
	switch c.Query("done") {
	case "cancelled", "accepted":
		v.Notice = s.cat().T(v.Lang, "portal.done."+c.Query("done"))
	}
	return s.render(c, http.StatusOK, "portal_bookings", "portal.bookings.title", v)
}

// pageBooking loads the signed-in citizen's booking named in the path.
func (s *Service) pageBooking(c fiber.Ctx) (quota.Booking, error) {
	phone, _ := s.sessionPhone(c)
	return s.ownBooking(c.Context(), phone, c.Params("code"))
}

func (s *Service) bookingPage(c fiber.Ctx) error {
	b, err := s.pageBooking(c)
	if err != nil {
		return err
	}
	v := bookingView{view: s.newView(c)}
	v.B = s.item(c, v.Lang, b)
	if err := s.bookingDetails(c, &v, b); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "portal_booking", "portal.booking.title", v)
}

// bookingQR is the booking code as a QR code for the kiosk's scanner.
func (s *Service) bookingQR(c fiber.Ctx) error {
	b, err := s.pageBooking(c)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(b.Code, qrcode.Medium, 256)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/png")
	c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	return c.Send(png)
}

func (s *Service) bookingICSPage(c fiber.Ctx) error {
	b, err := s.pageBooking(c)
	if err != nil {
		return err
	}
	return s.sendICS(c, b)
}

func (s *Service) cancelPage(c fiber.Ctx) error {
	b, err := s.pageBooking(c)
	if err != nil {
		return err
	}
	v := bookingView{view: s.newView(c)}
	v.B = s.item(c, v.Lang, b)
	return s.render(c, http.StatusOK, "portal_cancel", "portal.cancel.title", v)
}

func (s *Service) cancelSubmit(c fiber.Ctx) error {
	q, err := s.quotaService()
	if err != nil {
		return err
	}
	b, err := s.pageBooking(c)
	if err != nil {
		return err
	}
	if _, err := q.Cancel(c.Context(), b.Phone, b.Code); err != nil {
		return domainError(err, nil)
	}
	return c.Redirect().Status(http.StatusSeeOther).To("/bookings?done=cancelled")
}

func (s *Service) acceptSubmit(c fiber.Ctx) error {
	q, err := s.quotaService()
	if err != nil {
		return err
	}
	b, err := s.pageBooking(c)
	if err != nil {
		return err
	}
	if _, err := q.AcceptOffer(c.Context(), b.Phone, b.Code); err != nil {
		return domainError(err, nil)
	}
	return c.Redirect().Status(http.StatusSeeOther).To("/bookings/" + b.Code + "?done=accepted")
}

func (s *Service) reschedulePage(c fiber.Ctx) error {
	b, err := s.pageBooking(c)
	if err != nil {
		return err
	}
	return s.renderReschedule(c, http.StatusOK, b, "", nil)
}

func (s *Service) rescheduleSubmit(c fiber.Ctx) error {
	q, err := s.quotaService()
	if err != nil {
		return err
	}
	b, err := s.pageBooking(c)
	if err != nil {
		return err
	}
	raw := c.FormValue("date")
	date, perr := parseDate(raw)
	if perr != nil {
		return s.renderReschedule(c, http.StatusUnprocessableEntity, b, raw, invalidDate(raw))
	}
	if _, err := q.Reschedule(c.Context(), b.Phone, b.Code, date); err != nil {
		return s.renderReschedule(c, statusOf(domainError(err, s.zone(c.Context(), b.Office))), b, raw, domainError(err, s.zone(c.Context(), b.Office)))
	}
	return c.Redirect().Status(http.StatusSeeOther).To("/bookings/" + b.Code + "?done=rescheduled&from=" + b.Date.Format(dateLayout))
}

func (s *Service) renderReschedule(c fiber.Ctx, status int, b quota.Booking, chosen string, err error) error {
	v := bookingView{view: s.newView(c)}
	v.B = s.item(c, v.Lang, b)
	if err != nil {
		if err := s.addError(c, &v.view, err, "date"); err != nil {
			return err
		}
	}
	o, oerr := s.office(c.Context(), b.Office)
	if oerr != nil {
		return oerr
	}
	dates, derr := s.dateOptions(c, o, chosen, b.Date.Format(dateLayout)) // moving to the same day is no move
	if derr != nil {
		return derr
	}
	v.Dates, v.DrawNotes = s.withoutDraws(v.Lang, dates, o.Location())
	return s.render(c, status, "portal_reschedule", "portal.reschedule.title", v)
}

// withoutDraws leaves out of the reschedule choices the days whose release
// draw is open (quota refuses a move into a draw) and says why each is
// missing and when it can be chosen. A day already chosen stays, beside its
// error.
func (s *Service) withoutDraws(lang string, dates []dateOption, loc *time.Location) ([]dateOption, []string) {
	var kept []dateOption
	var notes []string
	for _, d := range dates {
		if d.DrawCloses.IsZero() || d.Selected {
			kept = append(kept, d)
			continue
		}
		day, _ := time.Parse(dateLayout, d.Value)
		notes = append(notes, s.cat().T(lang, "portal.reschedule.in_draw_note", "date", s.longDate(lang, day), "time", clockTime(d.DrawCloses, loc)))
	}
	return kept, notes
}
