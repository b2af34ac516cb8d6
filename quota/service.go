package quota

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/robfig/cron/v3"

	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/jobs"
)

// Service is the quota domain: calendars, reservations, draws and the
// waitlist. Every state change is one transaction with its audit entry,
// notices (outbox) and quota event.
type Service struct {
	Pool     *pgxpool.Pool
	Clock    clock.Clock
	Jobs     *jobs.Runner
	Sched    *jobs.Scheduler
	Notifier Notifier
	Log      *slog.Logger
	// Booths writes the booths an offices file lists (the queue's table).
	Booths BoothWriter

	// MaxBatch bounds one group commit (default 256 requests).
	MaxBatch int
	// Admission control. A process holds at most MaxQueued bookings waiting
	// for a batch (default DefaultMaxQueued), and one that has waited
	// MaxQueueWait untaken (default DefaultMaxQueueWait) leaves the queue:
	// both are answered ErrBusy. A crowd beyond what the database commits
	// then gets a quick 503 with Retry-After instead of a wait that ends in
	// the phone's own timeout, with its booking perhaps made after all.
	MaxQueued    int
	MaxQueueWait time.Duration

	mu       sync.Mutex
	batchers map[dayKey]*batcher
	queued   int // requests in every batcher's queue
	admit    admission
}

type dayKey struct {
	office string
	day    string // YYYY-MM-DD
}

// rules are an office's booking rules (offices row).
type rules struct {
	Office
	loc         *time.Location
	opens       time.Duration // since local midnight
	closes      time.Duration
	windowDays  int
	releaseCron string
	release     cron.Schedule
	drawWindow  time.Duration
	hold        time.Duration
	defOnline   int
	defWalkin   int
	defPriority int

	base     version   // the offices row's rules
	versions []version // office_schedules, oldest first
	// calendarYears are the years with national holiday data: a day of any
	// other year is not opened for booking (ReasonNoCalendar).
	calendarYears map[int]bool
	// A view for one day (on): dayOff closes the weekday by its hours.
	viewOf  *rules
	viewDay time.Time
	dayOff  bool
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// loadRules reads an office's rules; ErrNoOffice if there is none.
func loadRules(ctx context.Context, q querier, code string) (*rules, error) {
	var r rules
	var drawMin, holdMin int
	var opens, closes time.Duration
	var years []int
	err := q.QueryRow(ctx, `SELECT code, name, city, region, timezone, address,
		to_char(opens_at, 'HH24:MI'), to_char(closes_at, 'HH24:MI'),
		extract(epoch FROM opens_at)::bigint, extract(epoch FROM closes_at)::bigint,
		booking_window_days, release_cron, draw_window_minutes, waitlist_hold_minutes,
		default_online, default_walkin, default_priority,
		(SELECT coalesce(array_agg(DISTINCT extract(year FROM day)::int), '{}') FROM holidays WHERE office IS NULL)
		FROM offices WHERE code = $1`, code).Scan(&r.Code, &r.Name, &r.City, &r.Region, &r.Timezone, &r.Address,
		&r.Opens, &r.Closes, &opens, &closes, &r.windowDays, &r.releaseCron, &drawMin, &holdMin,
		&r.defOnline, &r.defWalkin, &r.defPriority, &years)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNoOffice
	}
	if err != nil {
		return nil, err
	}
	r.opens, r.closes = opens*time.Second, closes*time.Second
	r.drawWindow, r.hold = time.Duration(drawMin)*time.Minute, time.Duration(holdMin)*time.Minute
	r.loc = r.Location()
	if r.release, err = jobs.ParseSpec(r.releaseCron); err != nil {
		return nil, fmt.Errorf("office %s: release_cron %q: %w", code, r.releaseCron, err)
	}
	r.calendarYears = map[int]bool{}
	for _, y := range years {
		r.calendarYears[y] = true
	}
	r.base = r.baseVersion()
	if r.versions, err = loadVersions(ctx, q, code); err != nil {
		return nil, err
	}
	return &r, nil
}

// local is the instant of a time of day on a calendar day in the office's zone.
func (r *rules) local(day time.Time, since time.Duration) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, r.loc).Add(since)
}

// closesAt is when the office closes on day: the end of that day's bookings.
func (r *rules) closesAt(day time.Time) time.Time { return r.local(day, r.on(day).closes) }

// releaseOf is when the release schedule makes day bookable: the first firing
// of the office's cron on or after local midnight of (day − window), since a
// firing at instant R opens every day up to R's local date + window.
func (r *rules) releaseOf(day time.Time) time.Time {
	r = r.on(day)
	from := r.local(day.AddDate(0, 0, -r.windowDays), 0)
	return r.release.Next(from.Add(-time.Second))
}

// parseDay normalises a date to the calendar day it names (midnight UTC).
func parseDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func dayString(t time.Time) string { return t.Format("2006-01-02") }
