// Package jobs runs SPPT's durable background work (River) and its
// wall-clock schedules (robfig/cron expressions, fired on one instance only).
package jobs

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
)

// Timings of every job. Physical time, never SPPT's business clock.
const (
	// JobTimeout bounds one attempt of any job (a worker may set a shorter one).
	JobTimeout = 25 * time.Second
	// RescueAfter is when River's rescuer takes a job still "running" to
	// belong to a dead process (kill -9, power loss) and retries it: longer
	// than any attempt can take. River's default is an hour.
	RescueAfter = JobTimeout + 10*time.Second
)

// Runner owns the River client. Domains add their workers to Workers before
// Start, and insert jobs through InsertTx inside their own transactions.
type Runner struct {
	Workers *river.Workers
	Queues  map[string]river.QueueConfig

	mu     sync.RWMutex
	client *river.Client[pgx.Tx]
}

func NewRunner() *Runner {
	return &Runner{Workers: river.NewWorkers(), Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 20}}}
}

// Start creates the client; with work it also fetches and runs jobs.
func (r *Runner) Start(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, work bool) error {
	cfg := &river.Config{Logger: log.With("component", "river"), Workers: r.Workers,
		JobTimeout: JobTimeout, RescueStuckJobsAfter: RescueAfter}
	if work {
		cfg.Queues = r.Queues
	}
	client, err := river.NewClient(riverpgxv5.New(pool), cfg)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.client = client
	r.mu.Unlock()
	if work {
		return client.Start(ctx)
	}
	return nil
}

// Stop waits for running jobs to finish (bounded by ctx).
func (r *Runner) Stop(ctx context.Context) error {
	c := r.Client()
	if c == nil {
		return nil
	}
	return c.Stop(ctx)
}

// Client is the River client (nil before Start).
func (r *Runner) Client() *river.Client[pgx.Tx] {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.client
}

var errNotStarted = errors.New("jobs: runner not started")

// InsertTx inserts a job in the caller's transaction: it runs only if the
// transaction commits.
func (r *Runner) InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	c := r.Client()
	if c == nil {
		return nil, errNotStarted
	}
	return c.InsertTx(ctx, tx, args, opts)
}

// InsertManyTx inserts many jobs in the caller's transaction (COPY-fast).
func (r *Runner) InsertManyTx(ctx context.Context, tx pgx.Tx, params []river.InsertManyParams) (int, error) {
	c := r.Client()
	if c == nil {
		return 0, errNotStarted
	}
	return c.InsertManyFastTx(ctx, tx, params)
}

// DeleteKinds deletes every job of kinds that is not running, through
// River's own API (benchmarks drop the work they queued but do not measure).
func (r *Runner) DeleteKinds(ctx context.Context, kinds ...string) (int, error) {
	total := 0
	for {
		res, err := r.Client().JobDeleteMany(ctx, river.NewJobDeleteManyParams().Kinds(kinds...).First(10_000))
		if err != nil {
			return total, err
		}
		total += len(res.Jobs)
		if len(res.Jobs) == 0 {
			return total, nil
		}
	}
}
