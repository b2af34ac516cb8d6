package queue

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// NextNumbers lists, per service group, the first per numbers waiting today
// in the order they will be called (issue time): the TV's "next" row.
func (q *Service) NextNumbers(ctx context.Context, office string, per int) (map[string][]string, error) {
	day, err := q.Day(ctx, office, q.Clock.Now())
	if err != nil {
		return nil, err
	}
	rows, err := q.Pool.Query(ctx, `SELECT service, number FROM (
		SELECT service, number, issued_at, id, row_number() OVER (PARTITION BY service ORDER BY issued_at, id) AS n
		FROM queue_tickets WHERE office = $1 AND day = $2 AND status = 'waiting') w
		WHERE n <= $3 ORDER BY service, issued_at, id`, office, day, per)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	var svc, number string
	_, err = pgx.ForEachRow(rows, []any{&svc, &number}, func() error {
		out[svc] = append(out[svc], number)
		return nil
	})
	return out, err
}
