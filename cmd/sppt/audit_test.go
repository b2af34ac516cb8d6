package main_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/internal/testdb"
)

// Issue 14 #9, end to end: `sppt audit anchor` signs the heads into a folder
// off the database; a superuser then edits an entry behind the append-only
// trigger and recomputes every hash after it; `sppt audit verify` names the
// chain broken.
func TestAuditVerifyFindsARewriteWithRecomputedHashes(t *testing.T) {
	t.Parallel()
	dbURL := apptest.DB(t)
	env := []string{"DATABASE_URL=" + dbURL, "AUDIT_KEY=c3BwdC1jbGktYXVkaXQta2V5LTMyLWJ5dGVzLW9rISE=", "AUDIT_ANCHOR_DIR=" + t.TempDir()}
	for _, u := range []string{"budi", "sari"} {
		if out, err := sppt(t, env, "officer", "add", "--office", "JKS", "--username", u, "--password", "teh-manis-hangat", "--roles", "desk"); err != nil {
			t.Fatalf("officer add: %v %s", err, out)
		}
	}
	if out, err := sppt(t, env, "audit", "anchor"); err != nil || !strings.Contains(out, "heads signed") {
		t.Fatalf("audit anchor: %v %s", err, out)
	}
	if out, err := sppt(t, env, "audit", "verify"); err != nil || !strings.Contains(out, "audit ok") || strings.Contains(out, "0 signed checkpoints") {
		t.Fatalf("audit verify before: %v %s", err, out)
	}
	office := rewriteFirstEntry(t, dbURL)
	out, err := sppt(t, env, "audit", "verify")
	if err == nil || !strings.Contains(out, "BROKEN: audit chain "+office) || !strings.Contains(out, "rewritten") {
		t.Fatalf("audit verify after the rewrite: want BROKEN for %s, got %v %s", office, err, out)
	}
}

// rewriteFirstEntry edits the first entry of some chain as superuser and
// recomputes that chain's hashes and head; it returns the chain's office.
func rewriteFirstEntry(t *testing.T, dbURL string) string {
	t.Helper()
	ctx := context.Background()
	admin, err := db.Open(ctx, testdb.Superuser(t, dbURL))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var office string
	err = pgx.BeginFunc(ctx, admin, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL session_replication_role = replica"); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT office FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&office); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE audit_log SET actor = 'system' WHERE office = $1 AND seq = 1`, office); err != nil {
			return err
		}
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
		prev := []byte{}
		for _, x := range all {
			h := audit.Hash(prev, office, x.seq, x.at, x.actor, x.action, x.subject, x.data)
			if _, err := tx.Exec(ctx, `UPDATE audit_log SET prev_hash = $3, hash = $4 WHERE office = $1 AND seq = $2`, office, x.seq, prev, h); err != nil {
				return err
			}
			prev = h
		}
		_, err = tx.Exec(ctx, `UPDATE audit_heads SET hash = $2 WHERE office = $1`, office, prev)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return office
}
