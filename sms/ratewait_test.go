package sms_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/sms"
)

// slowTracer holds every query's answer back: a database far away, or a
// loaded one, as seen by the limiter. With grow, each answer takes twice
// as long as the one before (up to 2 s): no lead ever catches up.
type slowTracer struct {
	d    time.Duration
	grow bool
	n    *atomic.Int64
}

func (s slowTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (s slowTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {
	d := s.d
	if s.grow {
		d = min(s.d<<min(s.n.Add(1), 10), 2*time.Second)
	}
	time.Sleep(d)
}

func slowPool(t *testing.T, tr slowTracer) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(apptest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = tr
	cfg.MaxConns = 60
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// When a reservation's round trip is slower than the slot queue, every
// slot granted is already past when the answer arrives. Wait must still
// return within maxWait (it used to retry for ever), and it must learn to
// ask for a slot far enough ahead that senders get through at the rate.
func TestRateWaitBoundedOnSlowRoundTrips(t *testing.T) {
	t.Parallel()
	const rtt = 40 * time.Millisecond
	pool := slowPool(t, slowTracer{d: rtt})

	// Bounded: a fresh limiter (it knows no round-trip time yet) whose
	// slots are all taken for the next 10 s gives up after maxWait.
	busy := &sms.RateLimiter{Pool: pool, Rate: 1000, Ahead: time.Hour}
	if _, err := pool.Exec(context.Background(), `UPDATE sms_rate SET next_slot = now() + interval '10 seconds' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- busy.Wait(context.Background(), 300*time.Millisecond) }()
	select {
	case err := <-done:
		if took := time.Since(start); !errors.Is(err, sms.ErrRateBusy) || took > 300*time.Millisecond+3*rtt {
			t.Errorf("Wait(300ms) with every slot 10 s away: %v after %s", err, took)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Wait(300ms) did not return within 10 s")
	}

	// Bounded again: answers slower every time, so every slot granted is
	// lost; Wait gives up once maxWait has passed, one round trip late at most.
	growing := &sms.RateLimiter{Pool: slowPool(t, slowTracer{d: 30 * time.Millisecond, grow: true, n: new(atomic.Int64)}), Rate: 1000}
	if c, err := growing.Pool.Acquire(context.Background()); err != nil { // dialled before: only answers are slow
		t.Fatal(err)
	} else {
		c.Release()
	}
	start = time.Now()
	go func() { done <- growing.Wait(context.Background(), 500*time.Millisecond) }()
	select {
	case err := <-done:
		// Under a loaded machine a slot is now and then kept after all (nil):
		// what must hold is that Wait returns, busy or not, within the bound.
		if took := time.Since(start); (err != nil && !errors.Is(err, sms.ErrRateBusy)) || took > 2*time.Second {
			t.Errorf("Wait(500ms) with every slot lost: %v after %s", err, took)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Wait(500ms) with every slot lost did not return within 15 s")
	}

	// Through: 50 waiters at 1,000/s, each round trip 40 ms slower than
	// the slots are apart; every one gets a slot it can keep, promptly.
	if _, err := pool.Exec(context.Background(), `UPDATE sms_rate SET next_slot = now() WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	l := &sms.RateLimiter{Pool: pool, Rate: 1000}
	var conns []*pgxpool.Conn // open the connections first: only the limiter is timed
	for range 50 {
		c, err := pool.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.Release()
	}
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	start = time.Now()
	for range 50 {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			errs <- l.Wait(ctx, 4*time.Second)
		})
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(30 * time.Second):
		t.Fatal("50 waiters did not return within 30 s")
	}
	took := time.Since(start)
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			failed++
		}
	}
	t.Logf("50 waiters with %s round trips at 1,000/s: through in %s, %d gave up", rtt, took, failed)
	if failed > 0 || took > 2500*time.Millisecond {
		t.Errorf("50 waiters: %d gave up, %s to get through (a few round trips would do)", failed, took)
	}
}
