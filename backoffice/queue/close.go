package queue

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
)

// CloseEndedDays closes the tickets that their office day left open: still
// waiting (the office closed before their turn) or still called (the booth
// never pressed complete or no-show). They become 'expired', so booth
// screens, reports and the serving index hold only live tickets. A day ends
// at midnight in the office's own zone, not at closing time: officers often
// serve everyone already inside after the doors close. One audit entry per
// office day records how many of each were closed. Running it again finds
// nothing; it is safe on any number of instances at once (the UPDATE locks
// the rows it changes, a second run's UPDATE skips them once committed).
func (q *Service) CloseEndedDays(ctx context.Context, now time.Time) (int, error) {
	type closed struct {
		office        string
		day           time.Time
		waiting, call int
	}
	var days []closed
	err := pgx.BeginFunc(ctx, q.Pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `WITH old AS (
				SELECT t.id, t.status FROM queue_tickets t JOIN offices o ON o.code = t.office
				WHERE t.status IN ('waiting', 'called') AND t.day < ($1::timestamptz AT TIME ZONE o.timezone)::date
				FOR UPDATE OF t),
			upd AS (UPDATE queue_tickets t SET status = 'expired', finished_at = $1
				FROM old WHERE t.id = old.id RETURNING t.office, t.day, old.status)
			SELECT office, day, count(*) FILTER (WHERE status = 'waiting')::int, count(*) FILTER (WHERE status = 'called')::int
			FROM upd GROUP BY office, day ORDER BY office, day`, now)
		if err != nil {
			return err
		}
		days, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (closed, error) {
			var c closed
			return c, r.Scan(&c.office, &c.day, &c.waiting, &c.call)
		})
		if err != nil || len(days) == 0 {
			return err
		}
		entries := make([]audit.Entry, len(days))
		for i, d := range days {
			date := d.day.Format(time.DateOnly)
			entries[i] = audit.Entry{Office: d.office, At: now, Actor: "system", Action: "queue.close_day",
				Subject: "queue:" + d.office + ":" + date, Data: map[string]any{"day": date, "waiting": d.waiting, "called": d.call}}
		}
		return audit.Append(ctx, tx, entries...)
	})
	n := 0
	for _, d := range days {
		n += d.waiting + d.call
	}
	return n, err
}
