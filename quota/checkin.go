package quota

// The seat side of the kiosk: checking a booking in and taking walk-in seats.
// Every function works inside the caller's transaction, so the queue ticket
// (and application) it issues commit together with the seat, or not at all.

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/events"
)

// Check-in errors, mapped to HTTP by the kiosk (CONTRACT.md).
var (
	ErrCheckinNotFound  = errors.New("quota: no booking with that code")
	ErrNIKMismatch      = errors.New("quota: the NIK is not the booking's")
	ErrWrongOffice      = errors.New("quota: the booking is for another office")
	ErrWrongDay         = errors.New("quota: the booking is for another day")
	ErrBookingNotActive = errors.New("quota: the booking is cancelled or used")
)

// CheckinBooking is what the kiosk needs of a checked-in booking.
type CheckinBooking struct {
	ID        int64
	Code      string
	Office    string
	Day       time.Time
	Service   string
	NIK       string
	FullName  string
	BirthDate time.Time
	Sex       string
	Phone     string
	// Already is true when the booking had been checked in before.
	Already bool
}

// CheckIn marks booking code checked in at office on day (the office's
// calendar day, as midnight UTC), after verifying that nik is the booking's
// (a booking is not transferable), then that it is for this office and day.
// The NIK is checked first so a stranger learns nothing about the booking.
// A booking already checked in is returned with Already set.
func CheckIn(ctx context.Context, tx pgx.Tx, code, nik, office string, day time.Time, now time.Time) (CheckinBooking, error) {
	var b CheckinBooking
	var status string
	err := tx.QueryRow(ctx, `SELECT id, code, office, day, service, nik, full_name, birth_date, sex, phone, status
		FROM bookings WHERE code = $1 FOR UPDATE`, code).
		Scan(&b.ID, &b.Code, &b.Office, &b.Day, &b.Service, &b.NIK, &b.FullName, &b.BirthDate, &b.Sex, &b.Phone, &status)
	if errors.Is(err, pgx.ErrNoRows) {
		return b, ErrCheckinNotFound
	}
	if err != nil {
		return b, err
	}
	switch {
	case b.NIK != nik:
		return CheckinBooking{}, ErrNIKMismatch
	case b.Office != office:
		return b, ErrWrongOffice
	case !b.Day.Equal(day):
		return b, ErrWrongDay
	case status == StatusCheckedIn:
		b.Already = true
		return b, nil
	case status != StatusBooked:
		return b, ErrBookingNotActive
	}
	_, err = tx.Exec(ctx, `UPDATE bookings SET status = 'checked_in', updated_at = $2 WHERE id = $1`, b.ID, now)
	return b, err
}

// LiveQuota is one office-day's seats as the "quota" event carries them.
type LiveQuota struct {
	Date   string     `json:"date"`
	Online LiveOnline `json:"online"`
	Walkin LiveWalkin `json:"walkin"`
}

// LiveOnline is the online pool in CONTRACT.md's shape.
type LiveOnline struct {
	Capacity  int `json:"capacity"`
	Booked    int `json:"booked"`
	Remaining int `json:"remaining"`
}

// LiveWalkin is the walk-in pool in CONTRACT.md's shape.
type LiveWalkin struct {
	Capacity  int `json:"capacity"`
	Issued    int `json:"issued"`
	Remaining int `json:"remaining"`
}

func liveQuota(day time.Time, onCap, onBooked, wCap, wIssued int) LiveQuota {
	return LiveQuota{Date: day.Format(time.DateOnly),
		Online: LiveOnline{Capacity: onCap, Booked: onBooked, Remaining: max(onCap-onBooked, 0)},
		Walkin: LiveWalkin{Capacity: wCap, Issued: wIssued, Remaining: max(wCap-wIssued, 0)}}
}

// TakeWalkin takes one walk-in seat of office on day with a conditional
// UPDATE, so no number of kiosks or instances can issue more than the
// capacity. A priority walk-in takes from the priority share
// (priority_capacity, part of walkin_capacity); anyone else from the rest.
// It publishes the "quota" event inside tx. ErrWalkinExhausted when no seat
// is left (or the day has no quota or was closed).
func TakeWalkin(ctx context.Context, tx pgx.Tx, office string, day time.Time, priority bool, now time.Time) (LiveQuota, error) {
	cond := `walkin_issued - priority_issued < walkin_capacity - priority_capacity`
	set := `walkin_issued = walkin_issued + 1`
	if priority {
		cond = `priority_issued < priority_capacity`
		set = `walkin_issued = walkin_issued + 1, priority_issued = priority_issued + 1`
	}
	var onCap, onBooked, wCap, wIssued int
	err := tx.QueryRow(ctx, `UPDATE quota_days SET `+set+`, updated_at = $3
		WHERE office = $1 AND day = $2 AND closed_reason IS NULL AND `+cond+`
		RETURNING online_capacity, online_booked, walkin_capacity, walkin_issued`, office, day, now).
		Scan(&onCap, &onBooked, &wCap, &wIssued)
	if errors.Is(err, pgx.ErrNoRows) {
		return LiveQuota{}, ErrWalkinExhausted
	}
	if err != nil {
		return LiveQuota{}, err
	}
	c := liveQuota(day, onCap, onBooked, wCap, wIssued)
	return c, events.Publish(ctx, tx, office, "quota", c, now)
}

// DaySeats reads an office-day's seats for displays; ok is false when the
// day has no quota row.
func DaySeats(ctx context.Context, q interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}, office string, day time.Time) (c LiveQuota, ok bool, err error) {
	var onCap, onBooked, wCap, wIssued int
	err = q.QueryRow(ctx, `SELECT online_capacity, online_booked, walkin_capacity, walkin_issued
		FROM quota_days WHERE office = $1 AND day = $2`, office, day).Scan(&onCap, &onBooked, &wCap, &wIssued)
	if errors.Is(err, pgx.ErrNoRows) {
		return liveQuota(day, 0, 0, 0, 0), false, nil
	}
	if err != nil {
		return c, false, err
	}
	return liveQuota(day, onCap, onBooked, wCap, wIssued), true, nil
}
