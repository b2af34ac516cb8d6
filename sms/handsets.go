package sms

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Received is one message as the phone it was addressed to shows it.
type Received struct {
	ID    int64
	Phone string // E.164
	Kind  string
	Body  string
}

// Since is what the outbox addressed to any phone after message id after,
// oldest first, at most limit: the phones of `sppt simulate officeday`'s
// applicants (the log driver delivers nowhere; a simulation reads its
// applicants' messages here, as they would read their phones).
func Since(ctx context.Context, pool *pgxpool.Pool, after int64, limit int) ([]Received, error) {
	rows, err := pool.Query(ctx, `SELECT id, to_phone, kind, body FROM sms_messages WHERE id > $1 ORDER BY id LIMIT $2`,
		after, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Received, error) {
		var m Received
		err := r.Scan(&m.ID, &m.Phone, &m.Kind, &m.Body)
		return m, err
	})
}
