// Package quota owns office calendars (time zones, opening hours, holidays),
// daily capacities, reservations and their release schedules.
package quota

import (
	"context"
	"errors"
	"fmt"
	"github.com/sppt/sppt/internal/civil"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Office is one immigration office (kantor imigrasi).
type Office struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	City     string `json:"city"`
	Region   string `json:"-"`
	Timezone string `json:"timezone"`
	Address  string `json:"address"`
	Opens    string `json:"-"` // "08:00"
	Closes   string `json:"-"`
	// WindowDays is how far ahead bookings open: today and the next WindowDays days.
	WindowDays int `json:"-"`
}

// Location is the office's time zone.
func (o Office) Location() *time.Location {
	loc, err := civil.Zone(o.Timezone)
	if err != nil {
		panic(fmt.Sprintf("office %s: %v", o.Code, err)) // the CHECK constraint allows only loadable zones
	}
	return loc
}

// Day is the office's calendar day containing t.
func (o Office) Day(t time.Time) time.Time {
	return civil.Day(t, o.Location())
}

// Offices lists every office by code.
func Offices(ctx context.Context, pool *pgxpool.Pool) ([]Office, error) {
	rows, err := pool.Query(ctx, `SELECT code, name, city, region, timezone, address,
		to_char(opens_at, 'HH24:MI'), to_char(closes_at, 'HH24:MI'), booking_window_days FROM offices ORDER BY code`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanOffice)
}

// ErrNoOffice is returned for an unknown office code.
var ErrNoOffice = fmt.Errorf("no such office")

// GetOffice returns one office.
func GetOffice(ctx context.Context, pool *pgxpool.Pool, code string) (Office, error) {
	rows, err := pool.Query(ctx, `SELECT code, name, city, region, timezone, address,
		to_char(opens_at, 'HH24:MI'), to_char(closes_at, 'HH24:MI'), booking_window_days FROM offices WHERE code = $1`, code)
	if err != nil {
		return Office{}, err
	}
	o, err := pgx.CollectExactlyOneRow(rows, scanOffice)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, ErrNoOffice
	}
	return o, err
}

func scanOffice(row pgx.CollectableRow) (Office, error) {
	var o Office
	err := row.Scan(&o.Code, &o.Name, &o.City, &o.Region, &o.Timezone, &o.Address, &o.Opens, &o.Closes, &o.WindowDays)
	return o, err
}

// SetRunningText stores an office's running-text message for displays
// inside the caller's transaction (the queue audits and announces it in the
// same one); false for an unknown office. The offices table is quota's.
func (s *Service) SetRunningText(ctx context.Context, tx pgx.Tx, office, text string) (bool, error) {
	tag, err := tx.Exec(ctx, `UPDATE offices SET running_text = $2 WHERE code = $1`, office, text)
	return tag.RowsAffected() > 0, err
}

// Rules changes an office's booking rules; nil fields stay as they are.
type Rules struct {
	WindowDays        *int // booking_window_days
	DefaultOnline     *int // seats of a released day
	DrawWindowMinutes *int // how long after release requests are draw entries
}

// SetRules changes an office's booking rules (operators and tests).
func (s *Service) SetRules(ctx context.Context, office string, r Rules) error {
	tag, err := s.Pool.Exec(ctx, `UPDATE offices SET booking_window_days = COALESCE($2, booking_window_days),
		default_online = COALESCE($3, default_online), draw_window_minutes = COALESCE($4, draw_window_minutes)
		WHERE code = $1`, office, r.WindowDays, r.DefaultOnline, r.DrawWindowMinutes)
	if err == nil && tag.RowsAffected() == 0 {
		return ErrNoOffice
	}
	return err
}
