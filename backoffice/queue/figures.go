package queue

import (
	"context"
	"time"
)

// DayCounts is an office-day's queue at a glance (the network view).
type DayCounts struct {
	Waiting, Served int
}

// CountsOf reads many office-days in one query: days[i] belongs to
// offices[i]. Served counts tickets finished at a booth (not no-shows).
func (q *Service) CountsOf(ctx context.Context, offices []string, days []time.Time) (map[string]DayCounts, error) {
	rows, err := q.Pool.Query(ctx, `SELECT t.office, count(*) FILTER (WHERE t.status = 'waiting'), count(*) FILTER (WHERE t.status = 'done')
		FROM unnest($1::text[], $2::date[]) AS d(office, day) JOIN queue_tickets t ON t.office = d.office AND t.day = d.day
		GROUP BY t.office`, offices, days)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]DayCounts{}
	for rows.Next() {
		var office string
		var c DayCounts
		if err := rows.Scan(&office, &c.Waiting, &c.Served); err != nil {
			return nil, err
		}
		out[office] = c
	}
	return out, rows.Err()
}
