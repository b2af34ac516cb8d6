// Package audittest plays the attacker the audit chain's anchor is for: the
// database's superuser, writing behind the append-only guard and
// recomputing the hashes so the bare chain verifies again. Tests of the
// anchor, of `sppt audit verify` and the audit proof share it.
package audittest

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/internal/testdb"
)

// AsSuperuser runs fn in one transaction as dbURL's superuser with triggers
// off (the append-only guard among them).
func AsSuperuser(t testing.TB, dbURL string, fn func(ctx context.Context, tx pgx.Tx) error) {
	t.Helper()
	ctx := context.Background()
	admin, err := db.Open(ctx, testdb.Superuser(t, dbURL))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if err := pgx.BeginFunc(ctx, admin, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL session_replication_role = replica"); err != nil {
			return err
		}
		return fn(ctx, tx)
	}); err != nil {
		t.Fatal(err)
	}
}

// Rechain recomputes every link of office's chain in seq order and moves
// its head to the last entry.
func Rechain(ctx context.Context, tx pgx.Tx, office string) error {
	rows, err := tx.Query(ctx, `SELECT seq, at, actor, action, subject, data FROM audit_log WHERE office = $1 ORDER BY seq`, office)
	if err != nil {
		return err
	}
	type row struct {
		seq                          int64
		at                           time.Time
		actor, action, subject, data string
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		return x, r.Scan(&x.seq, &x.at, &x.actor, &x.action, &x.subject, &x.data)
	})
	if err != nil {
		return err
	}
	prev, last := []byte{}, int64(0)
	for _, x := range all {
		h := audit.Hash(prev, office, x.seq, x.at, x.actor, x.action, x.subject, x.data)
		if _, err := tx.Exec(ctx, `UPDATE audit_log SET prev_hash = $3, hash = $4 WHERE office = $1 AND seq = $2`,
			office, x.seq, prev, h); err != nil {
			return err
		}
		prev, last = h, x.seq
	}
	_, err = tx.Exec(ctx, `UPDATE audit_heads SET seq = $2, hash = $3 WHERE office = $1`, office, last, prev)
	return err
}
