package quota

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
)

// Register adds the quota workers (draw close, offer expiry) to the job
// runner and one release job per office to the scheduler. offices are read
// now; a fresh database without offices yet gets the reference offices with
// the default schedule.
func (s *Service) Register(ctx context.Context) error {
	river.AddWorker(s.Jobs.Workers, &closeDrawWorker{s: s})
	river.AddWorker(s.Jobs.Workers, &expireOfferWorker{s: s})
	if s.Sched == nil {
		return nil
	}
	type sched struct{ code, spec, zone string }
	var list []sched
	rows, err := s.Pool.Query(ctx, `SELECT code, release_cron, timezone FROM offices ORDER BY code`)
	if err == nil {
		for rows.Next() {
			var x sched
			if err = rows.Scan(&x.code, &x.spec, &x.zone); err != nil {
				break
			}
			list = append(list, x)
		}
		rows.Close()
	}
	if err != nil || len(list) == 0 {
		list = list[:0]
		for _, o := range ReferenceOffices {
			list = append(list, sched{o.Code, "0 0 * * *", o.Timezone})
		}
	}
	for _, x := range list {
		loc, err := time.LoadLocation(x.zone)
		if err != nil {
			return err
		}
		code := x.code
		if err := s.Sched.Add("quota-release:"+code, x.spec, loc, func(ctx context.Context, slot time.Time) error {
			_, err := s.Release(ctx, code)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
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
		rows, hols, err := loadDays(ctx, tx, office, today, r.windowDays+1)
		if err != nil {
			return err
		}
		for i := 0; i <= r.windowDays; i++ {
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
