package quota

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// DemoQuota is the demo seed's daily numbers per office: online, walk-in and
// the priority share of walk-in.
var DemoQuota = map[string][3]int{
	"JKS": {150, 40, 10},
	"DPS": {100, 30, 8},
	"JYP": {60, 20, 5},
}

// SeedDemo releases the next `days` working days of each office (weekends,
// holidays and a today already closed skipped) with DemoQuota's numbers,
// open now and without a draw. Days that already have a row are left alone.
func (s *Service) SeedDemo(ctx context.Context, offices []string, days int) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		now := s.Clock.Now()
		for _, office := range offices {
			q, ok := DemoQuota[office]
			if !ok {
				continue
			}
			r, err := loadRules(ctx, tx, office)
			if err != nil {
				return err
			}
			today := r.Day(now)
			hols, err := loadHolidays(ctx, tx, office, today, today.AddDate(0, 0, 3*days))
			if err != nil {
				return err
			}
			for day, left := today, days; left > 0; day = day.AddDate(0, 0, 1) {
				_, hol := hols[dayString(day)]
				if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday || hol || !now.Before(r.closesAt(day)) {
					continue
				}
				left--
				tag, err := tx.Exec(ctx, `INSERT INTO quota_days (office, day, online_capacity, walkin_capacity, priority_capacity,
					released_at, set_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'system:seed', $6)
					ON CONFLICT (office, day) DO NOTHING`, office, day, q[0], q[1], q[2], now)
				if err != nil {
					return err
				}
				n += int(tag.RowsAffected())
			}
		}
		return nil
	})
	return n, err
}
