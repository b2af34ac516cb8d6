package jobs_test

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/internal/jobs"
	"github.com/sppt/sppt/internal/testdb"
)

// Two instances fire the same slot at the same moment: the job runs once.
func TestFiringRunsOnOneInstanceOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	poolA, url := testdb.Pool(t, testdb.Seed{})
	poolB, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer poolB.Close()
	clk := clock.NewFake(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC))
	a := jobs.NewScheduler(poolA, clk, slog.Default())
	b := jobs.NewScheduler(poolB, clk, slog.Default())
	var runs atomic.Int32
	fn := func(context.Context, time.Time) error { runs.Add(1); return nil }
	for slot := 0; slot < 5; slot++ {
		at := time.Date(2026, 3, 2, 7, slot, 0, 0, time.UTC)
		var wg sync.WaitGroup
		for _, s := range []*jobs.Scheduler{a, b, a, b} {
			wg.Add(1)
			go func() { defer wg.Done(); s.Fire(ctx, "quota-broadcast:JKS", at, fn) }()
		}
		wg.Wait()
	}
	if runs.Load() != 5 {
		t.Fatalf("5 slots fired by 4 callers each ran %d times, want 5", runs.Load())
	}
}

func TestPanickingJobIsRecovered(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Pool(t, testdb.Seed{})
	s := jobs.NewScheduler(pool, clock.System{}, slog.New(slog.DiscardHandler))
	s.Fire(context.Background(), "boom", time.Now(), func(context.Context, time.Time) error { panic("boom") })
	// reaching here is the assertion; a second firing of another slot still runs
	ran := s.Fire(context.Background(), "boom", time.Now().Add(time.Minute), func(context.Context, time.Time) error { return nil })
	if !ran {
		t.Fatal("scheduler stopped running after a panic")
	}
}

// The loop honours the SPPT clock and the office's zone: a job due at 08:00
// WITA fires when the clock reaches it.
func TestRunFiresAtTheNextSlotInTheOfficeZone(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Pool(t, testdb.Seed{})
	wita, _ := time.LoadLocation("Asia/Makassar")
	start := time.Date(2026, 3, 2, 7, 59, 59, 500_000_000, wita)
	s := jobs.NewScheduler(pool, clock.StartingAt(start), slog.Default())
	got := make(chan time.Time, 1)
	if err := s.Add("open:DPS", "0 8 * * *", wita, func(_ context.Context, slot time.Time) error { got <- slot; return nil }); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	select {
	case slot := <-got:
		if want := time.Date(2026, 3, 2, 8, 0, 0, 0, wita); !slot.Equal(want) {
			t.Fatalf("slot %v, want %v", slot, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("job did not fire")
	}
}

// Claimed slots older than RunsKept are pruned when the job fires again, so
// a minutely job does not grow schedule_runs forever; other jobs' rows stay.
func TestOldRunsArePruned(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.Pool(t, testdb.Seed{})
	now := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	s := jobs.NewScheduler(pool, clock.NewFake(now), slog.Default())
	for _, at := range []time.Time{now.Add(-jobs.RunsKept - time.Minute), now.Add(-jobs.RunsKept + time.Minute)} {
		if _, err := pool.Exec(ctx, `INSERT INTO schedule_runs (name, slot, ran_at) VALUES ('tick', $1, $1), ('other', $1, $1)`, at); err != nil {
			t.Fatal(err)
		}
	}
	if !s.Fire(ctx, "tick", now, func(context.Context, time.Time) error { return nil }) {
		t.Fatal("the slot did not run")
	}
	var tick, other int
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE name = 'tick'), count(*) FILTER (WHERE name = 'other') FROM schedule_runs`).Scan(&tick, &other); err != nil {
		t.Fatal(err)
	}
	if tick != 2 || other != 2 {
		t.Fatalf("tick rows %d (want 2: the kept one and now), other rows %d (want 2)", tick, other)
	}
}
