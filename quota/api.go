package quota

// This file is the contract between the quota domain and its callers (the
// portal's API and pages, the kiosk, SMS). The implementation lives in the
// other files of this package.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/db"
)

// Seats is one pool of a day's seats.
type Seats struct {
	Capacity  int `json:"capacity"`
	Used      int `json:"-"` // booked (online) or issued (walk-in)
	Remaining int `json:"remaining"`
}

// Reasons a day is not open for booking (DateNotOpenError.Reason, DayStatus.Reason).
const (
	ReasonWeekend     = "weekend"
	ReasonHoliday     = "holiday"
	ReasonNotReleased = "not_released"
	ReasonPast        = "past"
	ReasonBeyond      = "beyond_window"
	ReasonClosed      = "closed" // closed by an admin, or the office has closed for the day
	ReasonNoQuota     = "no_quota"
	// ReasonNoCalendar: the day's year has no national holiday data yet, so
	// nobody can say it is a working day; it opens once an admin loads it.
	ReasonNoCalendar = "no_calendar"
)

// DayStatus is one office-day as citizens see it.
type DayStatus struct {
	Office       string
	Date         time.Time // calendar day in the office's zone, as midnight UTC
	Open         bool      // bookable now
	Reason       string    // why not, when !Open
	HolidayName  string    // for ReasonHoliday
	ReleasesAt   time.Time // for ReasonNotReleased (zero if unknown)
	InDraw       bool      // requests now are draw entries, not first-come
	DrawClosesAt time.Time
	Online       Seats
	Walkin       Seats
	Priority     Seats // walk-in seats kept for the priority group (part of Walkin)
}

// SeatsKnown reports whether the day's seats are settled: false before its
// release and beyond the booking window, where a count would mislead.
func (d DayStatus) SeatsKnown() bool {
	return d.Reason != ReasonNotReleased && d.Reason != ReasonBeyond
}

// Serves reports whether the office still serves applicants that day: not
// on a weekend, a holiday or a past day, and not once closed (by an admin,
// or after closing time, when walk-in numbers no longer help either).
func (d DayStatus) Serves() bool {
	switch d.Reason {
	case ReasonWeekend, ReasonHoliday, ReasonPast, ReasonClosed:
		return false
	}
	return true
}

// BookingRequest is a citizen's request for a seat. Inputs are already
// validated for form (NIK structure, name, phone) by the caller.
type BookingRequest struct {
	Office    string
	Date      time.Time
	Service   string
	NIK       string
	FullName  string
	BirthDate time.Time
	Sex       string // M or F
	Phone     string // E.164, the verified phone of the citizen
	IP        string // for abuse limits
}

// Booking statuses.
const (
	StatusEntered    = "entered"    // in a release draw, waiting for its result
	StatusBooked     = "booked"     // holds a seat
	StatusCheckedIn  = "checked_in" // took a queue number at the kiosk
	StatusCancelled  = "cancelled"
	StatusNoShow     = "no_show"
	StatusWaitlisted = "waitlisted" // waiting for a freed seat (may hold an offer)
	StatusExpired    = "expired"    // waitlist or offer ran out
)

// Booking is a booking as its owner sees it.
type Booking struct {
	ID             int64
	Code           string
	Office         string
	Date           time.Time
	Service        string
	Status         string
	NIK            string
	FullName       string
	BirthDate      time.Time
	Sex            string
	Phone          string
	CreatedAt      time.Time
	DrawClosesAt   time.Time // for StatusEntered
	WaitlistPos    int       // for StatusWaitlisted: 1 = next
	OfferExpiresAt time.Time // for StatusWaitlisted with a live offer
}

// Errors callers map to HTTP (409/422/429): the texts are for logs and
// operators; each caller's HTTP file names the contract code (portal's
// booking_json.go, quota/http.go for the kiosk).
var (
	ErrQuotaExhausted      = errors.New("quota: no online seats left that day")
	ErrActiveBookingExists = errors.New("quota: the NIK already has an active booking")
	ErrPhoneLimit          = errors.New("quota: the phone has its maximum of active bookings") // 5 active bookings per verified phone
	ErrNotFound            = errors.New("quota: no such booking")                              // unknown, or not the caller's
	ErrNotChangeable       = errors.New("quota: the booking can no longer be changed")
	ErrNoOffer             = errors.New("quota: no seat is on offer to this waitlist entry")
	ErrWalkinExhausted     = errors.New("quota: no walk-in seats left today")
)

// ErrBusy: the process already holds MaxQueued bookings waiting for a
// batch, or this one waited MaxQueueWait untaken. Nothing was written. It
// is db.ErrSaturated, so every caller answers 503 with Retry-After; the
// refusal itself is a *BusyError, which says when.
var ErrBusy = fmt.Errorf("quota: too many bookings waiting: %w", db.ErrSaturated)

// DateNotOpenError says why a date cannot be booked (422 date_not_open).
type DateNotOpenError struct {
	Reason      string
	HolidayName string
	ReleasesAt  time.Time
}

func (e *DateNotOpenError) Error() string { return fmt.Sprintf("date_not_open: %s", e.Reason) }

// Notice is a citizen-facing event worth a message. The SMS service turns it
// into text (its templates); quota only says what happened.
type Notice struct {
	Kind   string // NoticeBooked, …
	Phone  string // E.164
	Office string
	Key    string            // idempotency key: one message per event, e.g. "booked:ABC123"
	Params map[string]string // "code", "date", "office_name", "expires", …
}

// Notice kinds.
const (
	NoticeBooked        = "booking_confirmed"
	NoticeCancelled     = "booking_cancelled"
	NoticeRescheduled   = "booking_rescheduled"
	NoticeDrawWon       = "draw_won"
	NoticeDrawLost      = "draw_lost" // moved to the waitlist
	NoticeWaitlistOffer = "waitlist_offer"
	NoticeOfferExpired  = "waitlist_offer_expired"
)

// Notifier enqueues a notice inside the caller's transaction (the durable
// outbox), so it is sent exactly when the change commits.
type Notifier interface {
	Notify(ctx context.Context, tx pgx.Tx, n Notice) error
}

// Additions to the contract (issue 3, part A).

// ReasonInDraw refuses a reschedule into a day whose release draw is still
// open: a seat held now cannot be traded for a draw entry.
const ReasonInDraw = "in_draw"

// NoticeDrawEntered confirms a draw entry (the result follows at the close).
const NoticeDrawEntered = "draw_entered"

// More errors callers map to HTTP.
var (
	ErrInvalidService      = errors.New("invalid_service")       // not one of CONTRACT.md's service codes (422)
	ErrInvalidNIK          = errors.New("invalid_nik")           // not 16 digits (422)
	ErrInvalidInput        = errors.New("invalid_booking_input") // name, sex, phone or birth date unusable (422)
	ErrBadRange            = errors.New("invalid_range")         // Calendar: days outside 1–62 (422)
	ErrCapacityBelowBooked = errors.New("capacity_below_booked") // SetDay: fewer seats than already taken (409)
	ErrOfficeNotFound      = ErrNoOffice                         // unknown office code (404)
)

// Services are CONTRACT.md's service codes.
var Services = civil.Services

// BatchNotifier is optionally implemented by a Notifier that enqueues many
// notices in one round trip; group commit uses it for whole batches.
type BatchNotifier interface {
	NotifyBatch(ctx context.Context, tx pgx.Tx, ns []Notice) error
}
