package app

import (
	"context"
	"errors"
	"time"

	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/portal"
)

// bookingCheckIns gives the portal a checked-in booking's ticket and
// application from the queue (wired after the portal, so read lazily).
type bookingCheckIns struct{ a *App }

func (c bookingCheckIns) OfBooking(ctx context.Context, bookingID int64) (portal.CheckIn, error) {
	if c.a.Queue == nil {
		return portal.CheckIn{}, portal.ErrNotFound
	}
	ticket, no, err := c.a.Queue.TicketOfBooking(ctx, bookingID)
	if errors.Is(err, queue.ErrNoCheckIn) {
		return portal.CheckIn{}, portal.ErrNotFound
	}
	return portal.CheckIn{Ticket: ticket, ApplicationNo: no}, err
}

// feeSchedule gives the portal the backoffice's fee schedule.
type feeSchedule struct{ a *App }

func (f feeSchedule) FeesOn(ctx context.Context, day time.Time) (map[string]int64, error) {
	prices, err := billing.PricesOn(ctx, f.a.Pool, day)
	out := make(map[string]int64, len(prices))
	for code, fee := range prices {
		out[code] = fee.Amount
	}
	return out, err
}
