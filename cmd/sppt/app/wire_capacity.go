package app

import (
	"context"
	"fmt"
	"time"

	"github.com/sppt/sppt/quota"
)

// planning is the capacity plan's view of quota (hours, configured seats)
// and of the blank ledger.
type planning struct{ a *App }

func (p planning) Hours(ctx context.Context, office string, _ time.Time) (time.Duration, time.Duration, error) {
	o, err := quota.GetOffice(ctx, p.a.Pool, office)
	if err != nil {
		return 0, 0, err
	}
	opens, err := clockTime(o.Opens)
	if err != nil {
		return 0, 0, err
	}
	closes, err := clockTime(o.Closes)
	return opens, closes, err
}

func (p planning) Configured(ctx context.Context, office string, day time.Time) (int, int, int, error) {
	st, err := p.a.Quota.Day(ctx, office, day)
	if err != nil {
		return 0, 0, 0, err
	}
	return st.Online.Capacity, st.Walkin.Capacity, st.Priority.Capacity, nil
}

// BlankStock is the booklets in the office's vault, all types.
func (p planning) BlankStock(ctx context.Context, office string) (int, bool, error) {
	if p.a.Ledger == nil {
		return 0, false, nil
	}
	day, err := p.a.Queue.Day(ctx, office, p.a.Clock.Now())
	if err != nil {
		return 0, false, err
	}
	st, err := p.a.Ledger.Stocks(ctx, office, day)
	n := 0
	for _, s := range st {
		n += s.InStock
	}
	return n, err == nil && len(st) > 0, err
}

// clockTime reads "HH:MM" as the time since midnight.
func clockTime(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("office hours %q: %w", s, err)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}
