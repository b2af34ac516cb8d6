package clock

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Join is the clock of a process of the deployment whose database pool
// reaches: without SPPT_NOW the system clock; with it, the timeline the
// first process to start with that SPPT_NOW (and rate) recorded, so every
// server, job and later CLI command reads the same time — a command never
// sees an earlier time than one run before it (CONTRACT.md). The timeline's
// start is kept in the database's clock, and this host's offset from that
// clock is measured once, so hosts that drift apart still agree to within a
// round trip. A process started with another SPPT_NOW or rate begins a new
// timeline for the deployment (processes already running keep theirs).
func Join(ctx context.Context, pool *pgxpool.Pool, sptNow string, rate float64, env string) (Clock, error) {
	if rate == 0 {
		rate = 1 // unset
	}
	if sptNow == "" {
		if rate != 1 {
			return nil, fmt.Errorf("SPPT_CLOCK_RATE: needs SPPT_NOW (a simulated timeline to speed up)")
		}
		return System{}, nil
	}
	sim0, err := parseNow(sptNow, rate, env)
	if err != nil {
		return nil, err
	}
	skew, err := dbSkew(ctx, pool)
	if err != nil {
		return nil, fmt.Errorf("clock: reading the database's clock: %w", err)
	}
	var real0 time.Time
	err = pool.QueryRow(ctx, `INSERT INTO clock_timeline (spt_now, rate, started_at) VALUES ($1, $2, clock_timestamp())
		ON CONFLICT (id) DO UPDATE SET spt_now = EXCLUDED.spt_now, rate = EXCLUDED.rate, started_at = EXCLUDED.started_at
		WHERE clock_timeline.spt_now <> EXCLUDED.spt_now OR clock_timeline.rate <> EXCLUDED.rate
		RETURNING started_at`, sptNow, rate).Scan(&real0)
	if errors.Is(err, pgx.ErrNoRows) { // the same timeline exists already: join it
		err = pool.QueryRow(ctx, `SELECT started_at FROM clock_timeline`).Scan(&real0)
	}
	if err != nil {
		return nil, fmt.Errorf("clock: the deployment's SPPT_NOW timeline: %w", err)
	}
	return Scaled{sim0: sim0, real0: real0, rate: rate, skew: skew}, nil
}

// dbSkew is how far the database's clock is ahead of this host's, read at
// the middle of the best of three round trips. A skew no larger than half
// that round trip cannot be told from none (the database on this host, or
// hosts kept by NTP), and taken as none: otherwise two processes on one
// host would each carry a different measurement error and disagree by up
// to a round trip, the later one reading an earlier time.
func dbSkew(ctx context.Context, pool *pgxpool.Pool) (time.Duration, error) {
	var best, skew time.Duration = -1, 0
	for range 3 {
		var db time.Time
		t0 := time.Now()
		if err := pool.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&db); err != nil {
			return 0, err
		}
		rtt := time.Since(t0)
		if best < 0 || rtt < best {
			best, skew = rtt, db.Sub(t0.Add(rtt/2))
		}
	}
	if skew.Abs() <= best/2 {
		return 0, nil
	}
	return skew, nil
}
