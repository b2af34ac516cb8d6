package sla

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// LateCounts is how many open applications of each office the sweep has
// flagged late: the network view's column, one query for every office.
func (s *Service) LateCounts(ctx context.Context, offices []string, _ time.Time) (map[string]int, error) {
	rows, err := s.Pool.Query(ctx, `SELECT office, count(*)::int FROM sla_items
		WHERE state = 'late' AND office = ANY($1) GROUP BY office`, offices)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	var office string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&office, &n}, func() error {
		out[office] = n
		return nil
	})
	return out, err
}
