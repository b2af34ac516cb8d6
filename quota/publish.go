package quota

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/events"
)

type onlineJSON struct {
	Capacity  int `json:"capacity"`
	Booked    int `json:"booked"`
	Remaining int `json:"remaining"`
}

type walkinJSON struct {
	Capacity  int `json:"capacity"`
	Issued    int `json:"issued"`
	Remaining int `json:"remaining"`
}

// QuotaEvent is the "quota" event's data (CONTRACT.md feed).
type QuotaEvent struct {
	Date   string     `json:"date"`
	Online onlineJSON `json:"online"`
	Walkin walkinJSON `json:"walkin"`
}

// publishDay reads the day's numbers inside tx and publishes them; the event
// is delivered exactly when tx commits.
func publishDay(ctx context.Context, tx pgx.Tx, office string, day, now time.Time) error {
	var e QuotaEvent
	err := tx.QueryRow(ctx, `SELECT online_capacity, online_booked, walkin_capacity, walkin_issued
		FROM quota_days WHERE office = $1 AND day = $2`, office, day).
		Scan(&e.Online.Capacity, &e.Online.Booked, &e.Walkin.Capacity, &e.Walkin.Issued)
	if err != nil {
		return err
	}
	return publishEvent(ctx, tx, office, day, e, now)
}

// publishEvent publishes a day's numbers already read inside tx.
func publishEvent(ctx context.Context, tx pgx.Tx, office string, day time.Time, e QuotaEvent, now time.Time) error {
	e.Date = dayString(day)
	e.Online.Remaining = max(0, e.Online.Capacity-e.Online.Booked)
	e.Walkin.Remaining = max(0, e.Walkin.Capacity-e.Walkin.Issued)
	return events.Publish(ctx, tx, office, "quota", e, now)
}
