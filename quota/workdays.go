package quota

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Working days are the office's calendar: Saturdays, Sundays, national
// holidays, collective leave and the office's own closures are off. The SLA
// (ready within 3 working days) and the receipt's ready date count them.

// AddWorkingDays is the calendar day n working days after from's calendar
// day (from itself never counts), in the office's zone; from is an instant.
func (s *Service) AddWorkingDays(ctx context.Context, office string, from time.Time, n int) (time.Time, error) {
	return addWorkingDays(ctx, s.Pool, office, from, n)
}

// AddWorkingDaysTx is AddWorkingDays read through tx, for a transaction
// that must not wait for a second pool connection while it holds rows.
func (s *Service) AddWorkingDaysTx(ctx context.Context, tx pgx.Tx, office string, from time.Time, n int) (time.Time, error) {
	return addWorkingDays(ctx, tx, office, from, n)
}

func addWorkingDays(ctx context.Context, db querier, office string, from time.Time, n int) (time.Time, error) {
	r, err := loadRules(ctx, db, office)
	if err != nil {
		return time.Time{}, err
	}
	local := from.In(r.loc)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	// n working days fit in 2n+30 calendar days even around Lebaran's long
	// collective leave; a calendar that holds none is a data error.
	span := 2*n + 30
	hols, err := loadHolidays(ctx, db, office, day, day.AddDate(0, 0, span))
	if err != nil {
		return time.Time{}, err
	}
	for i := 1; i <= span; i++ {
		d := day.AddDate(0, 0, i)
		if isWorkingDay(d, hols) {
			n--
			if n <= 0 {
				return d, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("quota: %s has no %d working days after %s", office, n, dayString(day))
}

// WorkingDaysBetween counts the working days after from's calendar day up
// to and including to's (both instants, read in the office's zone): 0 when
// to falls on from's day.
func (s *Service) WorkingDaysBetween(ctx context.Context, office string, from, to time.Time) (int, error) {
	r, err := loadRules(ctx, s.Pool, office)
	if err != nil {
		return 0, err
	}
	a, b := from.In(r.loc), to.In(r.loc)
	d0 := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	d1 := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	if !d1.After(d0) {
		return 0, nil
	}
	hols, err := loadHolidays(ctx, s.Pool, office, d0, d1)
	if err != nil {
		return 0, err
	}
	n := 0
	for d := d0.AddDate(0, 0, 1); !d.After(d1); d = d.AddDate(0, 0, 1) {
		if isWorkingDay(d, hols) {
			n++
		}
	}
	return n, nil
}

func isWorkingDay(d time.Time, hols map[string]string) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, off := hols[dayString(d)]
	return !off
}
