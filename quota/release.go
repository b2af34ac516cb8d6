package quota

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/jobs"
)

// Register adds the quota workers (draw close, offer expiry) to the job
// runner and the release sweep to the scheduler.
//
// The sweep fires every minute and reads the offices then, so an office
// added (or a release_cron changed) while the process runs needs no
// restart. An office is released when its own release_cron, in its own
// zone, has fired since the previous sweep; an office the process has not
// met before (added since it started) is released at once. Release is
// idempotent and opens only days whose release instant has passed, so an
// extra run is harmless. Cron has minute resolution, so a minutely sweep
// releases at the instants each office's schedule names.
func (s *Service) Register(ctx context.Context) error {
	river.AddWorker(s.Jobs.Workers, &closeDrawWorker{s: s})
	river.AddWorker(s.Jobs.Workers, &expireOfferWorker{s: s})
	if s.Sched == nil {
		return nil
	}
	if err := s.Sched.Add("quota-release", "* * * * *", time.UTC, s.newReleaseSweep(ctx).run); err != nil {
		return err
	}
	// Every morning, tell the admins of a year without holidays (from 1 October for the next).
	return s.Sched.Add("quota-calendar-check", "0 8 * * *", mustZone("Asia/Jakarta"), s.checkCalendar)
}

// releaseSweep is one process's release schedule. The scheduler runs a
// job's firings one after another, so its state needs no lock.
type releaseSweep struct {
	s    *Service
	last time.Time       // the clock at the previous sweep (or at start)
	seen map[string]bool // offices met: at start, or released since
}

// newReleaseSweep starts from the offices there are now, each next released
// at its schedule's next firing. Without them (no offices yet, or a failed
// read) every office counts as new: one extra, harmless release each.
func (s *Service) newReleaseSweep(ctx context.Context) *releaseSweep {
	sw := &releaseSweep{s: s, last: s.Clock.Now(), seen: map[string]bool{}}
	offices, err := sw.offices(ctx)
	if err != nil && s.Log != nil {
		s.Log.Warn("quota: release sweep starts without the office list", "err", err)
	}
	for _, o := range offices {
		sw.seen[o.code] = true
	}
	return sw
}

// releaseOffice is an office and every release schedule it has: the base
// one and its schedule versions' (an old version's extra firing is a
// harmless no-op; a future one's must not be missed).
type releaseOffice struct {
	code, zone string
	specs      []string
}

func (sw *releaseSweep) offices(ctx context.Context) ([]releaseOffice, error) {
	rows, err := sw.s.Pool.Query(ctx, `SELECT o.code, o.timezone, array_prepend(o.release_cron, coalesce(
		(SELECT array_agg(DISTINCT s.release_cron) FROM office_schedules s WHERE s.office = o.code), '{}'))
		FROM offices o ORDER BY o.code`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (releaseOffice, error) {
		var o releaseOffice
		return o, r.Scan(&o.code, &o.zone, &o.specs)
	})
}

// run releases the offices due. It reads the clock rather than trusting
// the slot: a timer that fires a hair early must not lose a release that
// falls between the two.
func (sw *releaseSweep) run(ctx context.Context, _ time.Time) error {
	now := sw.s.Clock.Now()
	offices, err := sw.offices(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, o := range offices {
		due := false
		for _, spec := range o.specs {
			d, err := releaseDue(spec, o.zone, sw.last, now)
			if err != nil {
				errs = append(errs, fmt.Errorf("office %s: %w", o.code, err))
			}
			due = due || d
		}
		if !due && sw.seen[o.code] {
			continue
		}
		if _, err := sw.s.Release(ctx, o.code); err != nil {
			errs = append(errs, fmt.Errorf("office %s: release: %w", o.code, err))
			continue
		}
		sw.seen[o.code] = true
	}
	sw.last = now
	return errors.Join(errs...)
}

// releaseDue reports whether the cron spec, read in zone, fires in
// (last, now].
func releaseDue(spec, zone string, last, now time.Time) (bool, error) {
	sched, err := jobs.ParseSpec(spec)
	if err != nil {
		return false, fmt.Errorf("release_cron %q: %w", spec, err)
	}
	loc, err := civil.Zone(zone)
	if err != nil {
		return false, err
	}
	return !sched.Next(last.In(loc)).After(now), nil
}

// Release materialises every day of the office's window whose release
// instant has passed and that has no row yet: its numbers from the
// defaults, released_at from the schedule, its draw window and the job that
// closes it. It is idempotent (a missed firing is caught up by the next) and
// reports how many days it released.
func (s *Service) Release(ctx context.Context, office string) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		r, err := loadRules(ctx, tx, office)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		today := r.Day(now)
		window := r.maxWindow(today)
		rows, hols, err := loadDays(ctx, tx, office, today, window+1)
		if err != nil {
			return err
		}
		for i := 0; i <= window; i++ {
			day := today.AddDate(0, 0, i)
			if _, ok := rows[dayString(day)]; ok {
				continue
			}
			name, isHol := hols[dayString(day)]
			if st := r.evaluate(r.defaultRow(day), name, isHol, now); !st.Open {
				continue
			}
			created, err := s.createDay(ctx, tx, r, day, now)
			if err != nil {
				return err
			}
			if created {
				n++
				if err := publishDay(ctx, tx, office, day, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return n, err
}
