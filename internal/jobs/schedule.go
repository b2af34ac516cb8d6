package jobs

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/robfig/cron/v3"

	"github.com/sppt/sppt/internal/clock"
)

// Scheduler fires jobs on cron expressions in a given time zone, reading time
// from SPPT's clock (so SPPT_NOW moves schedules too). Every instance runs a
// Scheduler; each firing runs on exactly one of them: the one that takes the
// job's advisory lock and records the firing's slot first.
type Scheduler struct {
	pool  *pgxpool.Pool
	clock clock.Clock
	log   *slog.Logger

	mu   sync.Mutex
	jobs []*scheduled
	wg   sync.WaitGroup
}

type scheduled struct {
	name  string
	sched cron.Schedule
	loc   *time.Location
	fn    func(ctx context.Context, slot time.Time) error
}

func NewScheduler(pool *pgxpool.Pool, c clock.Clock, log *slog.Logger) *Scheduler {
	return &Scheduler{pool: pool, clock: c, log: log}
}

var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSpec checks a five-field cron expression (or @daily, @weekly, …).
func ParseSpec(spec string) (cron.Schedule, error) { return parser.Parse(spec) }

// Add registers a job. name must be unique per firing target, e.g. "quota-broadcast:JKS".
func (s *Scheduler) Add(name, spec string, loc *time.Location, fn func(ctx context.Context, slot time.Time) error) error {
	sched, err := parser.Parse(spec)
	if err != nil {
		return fmt.Errorf("schedule %s: %w", name, err)
	}
	s.mu.Lock()
	s.jobs = append(s.jobs, &scheduled{name: name, sched: sched, loc: loc, fn: fn})
	s.mu.Unlock()
	return nil
}

// Run fires every job until ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	s.mu.Lock()
	jobs := append([]*scheduled(nil), s.jobs...)
	s.mu.Unlock()
	for _, j := range jobs {
		s.wg.Add(1)
		go func() { defer s.wg.Done(); s.loop(ctx, j) }()
	}
	s.wg.Wait()
}

func (s *Scheduler) loop(ctx context.Context, j *scheduled) {
	for {
		now := s.clock.Now()
		next := j.sched.Next(now.In(j.loc))
		select {
		case <-ctx.Done():
			return
		case <-time.After(next.Sub(now)):
		}
		s.Fire(ctx, j.name, next, j.fn)
	}
}

// Fire runs fn for slot unless another instance already has; panics are
// recovered and logged so one bad job never stops the scheduler.
func (s *Scheduler) Fire(ctx context.Context, name string, slot time.Time, fn func(context.Context, time.Time) error) (ran bool) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("scheduled job panicked", "job", name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	claimed, err := s.claim(ctx, name, slot)
	if err != nil {
		s.log.Error("scheduled job claim failed", "job", name, "err", err)
		return false
	}
	if !claimed {
		return false
	}
	if err := fn(ctx, slot); err != nil {
		s.log.Error("scheduled job failed", "job", name, "slot", slot, "err", err)
	}
	return true
}

// RunsKept is how long a job's claimed slots stay in schedule_runs.
const RunsKept = 7 * 24 * time.Hour

// claim takes the job's advisory lock for the transaction and records the
// slot; a slot already recorded means another instance fired it.
func (s *Scheduler) claim(ctx context.Context, name string, slot time.Time) (bool, error) {
	h := fnv.New64a()
	h.Write([]byte(name))
	key := int64(h.Sum64())
	var claimed bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var locked bool
		if err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock($1)", key).Scan(&locked); err != nil || !locked {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO schedule_runs (name, slot, ran_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			name, slot, s.clock.Now())
		claimed = err == nil && tag.RowsAffected() == 1
		if !claimed {
			return err
		}
		// A minutely job adds 1,440 rows a day; a week is kept to see what ran.
		_, err = tx.Exec(ctx, `DELETE FROM schedule_runs WHERE name = $1 AND slot < $2`, name, slot.Add(-RunsKept))
		return err
	})
	return claimed, err
}
