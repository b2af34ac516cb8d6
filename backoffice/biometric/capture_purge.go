package biometric

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
)

// DefaultRetention is how long captures are kept when CAPTURE_RETENTION is
// unset: long enough for adjudication, printing and pickup of nearly every
// application; the enrolled face template stays in the identity register.
const DefaultRetention = 30 * 24 * time.Hour

// PurgeExpired deletes captures past the configured retention (the cron job).
func (s *Captures) PurgeExpired(ctx context.Context) (int64, error) {
	r := s.Retention
	if r <= 0 {
		r = DefaultRetention
	}
	return s.Purge(ctx, r)
}

// Purge deletes every capture created more than olderThan ago, with one
// audit entry per office saying how many.
func (s *Captures) Purge(ctx context.Context, olderThan time.Duration) (int64, error) {
	now := s.Clock.Now()
	var total int64
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `WITH gone AS (DELETE FROM captures WHERE created_at < $1 RETURNING office)
			SELECT office, count(*) FROM gone GROUP BY office ORDER BY office`, now.Add(-olderThan))
		if err != nil {
			return err
		}
		var entries []audit.Entry
		var office string
		var n int64
		_, err = pgx.ForEachRow(rows, []any{&office, &n}, func() error {
			total += n
			entries = append(entries, audit.Entry{Office: office, At: now, Actor: "system", Action: "capture.purge",
				Subject: "office:" + office, Data: map[string]any{"deleted": n, "older_than_hours": int64(olderThan.Hours())}})
			return nil
		})
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, entries...)
	})
	return total, err
}
