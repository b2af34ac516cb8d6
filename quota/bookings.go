package quota

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// bookingCols reads a booking (alias b) with its draw close and waitlist place.
const bookingCols = `b.id, b.code, b.office, b.day, b.service, b.status, b.nik, b.full_name, b.birth_date, b.sex, b.phone,
	b.created_at, b.offer_expires_at,
	(SELECT q.draw_closes_at FROM quota_days q WHERE q.office = b.office AND q.day = b.day),
	CASE WHEN b.status = 'waitlisted' THEN (SELECT count(*) FROM bookings w WHERE w.office = b.office AND w.day = b.day
		AND w.status = 'waitlisted' AND (w.waitlisted_at, w.id) <= (b.waitlisted_at, b.id)) ELSE 0 END`

func scanBooking(row pgx.CollectableRow) (Booking, error) {
	var b Booking
	var offer, draw *time.Time
	var pos int64
	err := row.Scan(&b.ID, &b.Code, &b.Office, &b.Date, &b.Service, &b.Status, &b.NIK, &b.FullName, &b.BirthDate, &b.Sex,
		&b.Phone, &b.CreatedAt, &offer, &draw, &pos)
	if offer != nil {
		b.OfferExpiresAt = *offer
	}
	if draw != nil && b.Status == StatusEntered {
		b.DrawClosesAt = *draw
	}
	b.WaitlistPos = int(pos)
	return b, err
}

func (s *Service) oneBooking(ctx context.Context, q querier, where string, args ...any) (Booking, error) {
	rows, err := q.Query(ctx, `SELECT `+bookingCols+` FROM bookings b WHERE `+where, args...)
	if err != nil {
		return Booking{}, err
	}
	b, err := pgx.CollectExactlyOneRow(rows, scanBooking)
	if errors.Is(err, pgx.ErrNoRows) {
		return b, ErrNotFound
	}
	return b, err
}

// Bookings are the phone's bookings, newest first.
func (s *Service) Bookings(ctx context.Context, phone string) ([]Booking, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+bookingCols+` FROM bookings b WHERE b.phone = $1 ORDER BY b.created_at DESC, b.id DESC`, phone)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanBooking)
}

// Booking is one of the phone's bookings; ErrNotFound for anyone else's.
func (s *Service) Booking(ctx context.Context, phone, code string) (Booking, error) {
	return s.oneBooking(ctx, s.Pool, `b.code = $1 AND b.phone = $2`, code, phone)
}

// ByCode is any booking by its code (the kiosk checks the NIK itself).
func (s *Service) ByCode(ctx context.Context, code string) (Booking, error) {
	return s.oneBooking(ctx, s.Pool, `b.code = $1`, code)
}
