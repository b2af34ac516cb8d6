package portal

import (
	"errors"
	"net/http"
	"time"

	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/idn"
	"github.com/sppt/sppt/quota"
)

// bookingJSON is a booking as its owner reads it. The NIK is masked: the
// owner knows it, and a screenshot should not leak it.
type bookingJSON struct {
	BookingCode      string     `json:"booking_code"`
	Office           string     `json:"office"`
	Date             string     `json:"date"`
	Service          string     `json:"service"`
	Status           string     `json:"status"`
	FullName         string     `json:"full_name"`
	NIK              string     `json:"nik_masked"`
	CreatedAt        time.Time  `json:"created_at"`
	WaitlistPosition *int       `json:"waitlist_position,omitempty"`
	OfferExpiresAt   *time.Time `json:"offer_expires_at,omitempty"`
	DrawClosesAt     *time.Time `json:"draw_closes_at,omitempty"`
}

type bookingsResponse struct {
	Bookings []bookingJSON `json:"bookings"`
}

func toBookingJSON(b quota.Booking) bookingJSON {
	out := bookingJSON{BookingCode: b.Code, Office: b.Office, Date: b.Date.Format(dateLayout), Service: b.Service,
		Status: b.Status, FullName: b.FullName, NIK: idn.MaskNIK(b.NIK), CreatedAt: b.CreatedAt,
		OfferExpiresAt: timePtr(b.OfferExpiresAt)}
	if b.Status == quota.StatusWaitlisted && b.WaitlistPos > 0 {
		pos := b.WaitlistPos
		out.WaitlistPosition = &pos
	}
	if b.Status == quota.StatusEntered {
		out.DrawClosesAt = timePtr(b.DrawClosesAt)
	}
	return out
}

// domainError maps quota's errors to CONTRACT.md's statuses and codes. loc
// is the office's zone, for telling when a date opens.
func domainError(err error, loc *time.Location) error {
	var dno *quota.DateNotOpenError
	switch {
	case err == nil:
		return nil
	case db.Transient(err): // saturated (admission control) or a blip: an *httpx.Error, so the page keeps the form
		return httpx.Classify(err)
	case errors.As(err, &dno):
		return dateNotOpen(dno, loc)
	case errors.Is(err, quota.ErrQuotaExhausted):
		return httpx.New(http.StatusConflict, "quota_exhausted")
	case errors.Is(err, quota.ErrActiveBookingExists):
		return httpx.New(http.StatusConflict, "active_booking_exists")
	case errors.Is(err, quota.ErrPhoneLimit):
		return httpx.New(http.StatusTooManyRequests, "phone_booking_limit", "max", 5)
	case errors.Is(err, quota.ErrNotFound):
		return httpx.ErrNotFound
	case errors.Is(err, quota.ErrNotChangeable):
		return httpx.New(http.StatusConflict, "booking_not_changeable")
	case errors.Is(err, quota.ErrNoOffer):
		return httpx.New(http.StatusConflict, "no_offer")
	case errors.Is(err, quota.ErrNoOffice):
		return httpx.Invalid().Field("office", "portal.office.unknown")
	case errors.Is(err, quota.ErrInvalidService):
		return httpx.Invalid().Field("service", "portal.service.invalid")
	case errors.Is(err, quota.ErrInvalidNIK):
		return httpx.Invalid().Field("nik", "portal.nik.length")
	case errors.Is(err, quota.ErrInvalidInput), errors.Is(err, quota.ErrBadRange):
		return httpx.Invalid()
	}
	return err
}

// dateNotOpen is the 422 naming "date", with the reason and, for a day not
// yet released, when it will be (also as members of the error object).
func dateNotOpen(e *quota.DateNotOpenError, loc *time.Location) error {
	out := httpx.New(http.StatusUnprocessableEntity, "date_not_open").With("reason", e.Reason)
	when := ""
	if !e.ReleasesAt.IsZero() {
		out.With("releases_at", e.ReleasesAt.UTC().Format(time.RFC3339))
		when = localStamp(e.ReleasesAt, loc)
	}
	if e.HolidayName != "" {
		out.With("holiday_name", e.HolidayName)
	}
	key := "portal.date.reason." + e.Reason
	if !knownReasons[e.Reason] {
		key = "portal.date.reason.closed"
	}
	if e.Reason == quota.ReasonNotReleased && when == "" {
		key = "portal.date.reason.not_released_unknown"
	}
	return out.Field("date", key, "when", when, "holiday", e.HolidayName)
}

var knownReasons = map[string]bool{quota.ReasonWeekend: true, quota.ReasonHoliday: true, quota.ReasonNotReleased: true,
	quota.ReasonPast: true, quota.ReasonBeyond: true, quota.ReasonClosed: true, quota.ReasonNoQuota: true, quota.ReasonInDraw: true,
	quota.ReasonNoCalendar: true}

// localStamp is "2026-03-06 14:00 WIB": a moment in an office's zone.
func localStamp(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	return lt.Format("2006-01-02 15:04") + " " + zoneAbbrev(lt)
}

// zoneAbbrev names Indonesia's three zones as people say them.
func zoneAbbrev(t time.Time) string {
	_, off := t.Zone()
	switch off {
	case 7 * 3600:
		return "WIB"
	case 8 * 3600:
		return "WITA"
	case 9 * 3600:
		return "WIT"
	}
	return t.Format("MST")
}
