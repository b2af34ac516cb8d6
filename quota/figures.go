package quota

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// DayFigures is an office-day's seats at a glance (the network view).
type DayFigures struct {
	Office string
	Opened bool // the day has a quota row at all
	// Quota is every seat of the day (online and walk-in); Booked the
	// online seats taken; Walkins the walk-in numbers issued.
	Quota, Booked, Walkins int
}

// FiguresOf reads many office-days in one query: days[i] belongs to
// offices[i] (each office's own calendar day). Offices without a quota row
// that day are absent.
func (s *Service) FiguresOf(ctx context.Context, offices []string, days []time.Time) (map[string]DayFigures, error) {
	rows, err := s.Pool.Query(ctx, `SELECT q.office, q.online_capacity + q.walkin_capacity, q.online_booked, q.walkin_issued
		FROM unnest($1::text[], $2::date[]) AS d(office, day) JOIN quota_days q ON q.office = d.office AND q.day = d.day`, offices, days)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DayFigures, error) {
		f := DayFigures{Opened: true}
		err := r.Scan(&f.Office, &f.Quota, &f.Booked, &f.Walkins)
		return f, err
	})
	out := make(map[string]DayFigures, len(list))
	for _, f := range list {
		out[f.Office] = f
	}
	return out, err
}
