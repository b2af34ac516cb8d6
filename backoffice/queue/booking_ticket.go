package queue

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// ErrNoCheckIn is TicketOfBooking's answer for a booking not checked in.
var ErrNoCheckIn = errors.New("booking not checked in")

// TicketOfBooking is the queue number and application number a booking
// received at its check-in, for the citizen's booking page.
func (q *Service) TicketOfBooking(ctx context.Context, bookingID int64) (ticket, applicationNo string, err error) {
	err = q.Pool.QueryRow(ctx, `SELECT t.number, a.application_no FROM applications a
		JOIN queue_tickets t ON t.application_id = a.id WHERE a.booking_id = $1`, bookingID).Scan(&ticket, &applicationNo)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", ErrNoCheckIn
	}
	return ticket, applicationNo, err
}
