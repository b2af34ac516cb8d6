package sms_test

import (
	"context"
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/sms"
)

// Two limiters (two instances) on one database share one rate: 40
// competing senders at 50/s get slots 1/50 s apart (plus the margin), never
// closer, and the senders never go faster than 50/s between them.
//
// Nothing here depends on how fast the machine is: slots are read back from
// the database, and wake-up times are compared with a schedule that a stalled
// process can only fall behind, never get ahead of.
func TestRateLimiterIsDeploymentWide(t *testing.T) {
	t.Parallel()
	const rate = 50
	url := apptest.DB(t)
	var limiters []*sms.RateLimiter
	var pool *pgxpool.Pool
	for range 2 {
		var err error
		if pool, err = pgxpool.New(context.Background(), url); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		limiters = append(limiters, &sms.RateLimiter{Pool: pool, Rate: rate})
	}
	// setNextSlot pins the first free slot, so the schedule's start is known.
	setNextSlot := func(at time.Time) {
		t.Helper()
		if _, err := pool.Exec(context.Background(), `UPDATE sms_rate SET next_slot = $1 WHERE id = 1`, at); err != nil {
			t.Fatal(err)
		}
	}
	// concurrently runs 40 senders, alternating between the limiters, each
	// calling step 3 times, and returns what the steps returned, sorted.
	concurrently := func(step func(*sms.RateLimiter) (time.Time, error)) []time.Time {
		var mu sync.Mutex
		var out []time.Time
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Go(func() {
				for range 3 {
					at, err := step(limiters[i%2])
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					out = append(out, at)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
		return out
	}

	// The slots: both limiters reserve from one sequence, and far enough
	// ahead (Ahead) that every reservation succeeds at once. Consecutive
	// slots are at least 1/50 s apart (the limit) and at most 1/45 s (slots
	// are not wasted: the deployment sends just under 50/s).
	for _, l := range limiters {
		l.Ahead = time.Hour
	}
	setNextSlot(time.Now().Add(time.Minute))
	slots := concurrently(func(l *sms.RateLimiter) (time.Time, error) {
		slot, _, err := l.Reserve(context.Background())
		return slot, err
	})
	if t.Failed() {
		return
	}
	for i := 1; i < len(slots); i++ {
		if gap := slots[i].Sub(slots[i-1]); gap < time.Second/rate || gap > time.Second/45 {
			t.Fatalf("slots %d and %d are %s apart, want between %s and %s", i-1, i, gap, time.Second/rate, time.Second/45)
		}
	}

	// Wait: the k-th sender to wake (from 0) wakes no earlier than k/50 s
	// after the first slot. A stall only makes wake-ups later, so this holds
	// on any machine unless senders get ahead of the shared rate (two
	// limiters each allowing 50/s would wake the 60th after 0.6 s, not 1.2 s).
	for _, l := range limiters {
		l.Ahead = 0
	}
	first := time.Now().Add(200 * time.Millisecond) // the senders start before it
	setNextSlot(first)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	woke := concurrently(func(l *sms.RateLimiter) (time.Time, error) {
		for { // no slot within maxWait: try again, as the outbox does after a snooze
			if err := l.Wait(ctx, 10*time.Second); !errors.Is(err, sms.ErrRateBusy) {
				return time.Now(), err
			}
		}
	})
	if t.Failed() {
		return
	}
	for k, at := range woke { // 1 ms for microsecond timestamps in the database
		if earliest := first.Add(time.Duration(k) * time.Second / rate); at.Before(earliest.Add(-time.Millisecond)) {
			t.Fatalf("sender %d woke %s after the first slot, before the %s a rate of %d/s allows",
				k, at.Sub(first), earliest.Sub(first), rate)
		}
	}
	span := woke[len(woke)-1].Sub(first)
	t.Logf("120 wake-ups over %s from the first slot: %.2f/s (at most %d/s; a loaded machine is slower)",
		span, float64(len(woke)-1)/span.Seconds(), rate)
}
