package main_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/audit/audittest"
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
	var office string
	audittest.AsSuperuser(t, dbURL, func(ctx context.Context, tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT office FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&office); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE audit_log SET actor = 'system' WHERE office = $1 AND seq = 1`, office); err != nil {
			return err
		}
		return audittest.Rechain(ctx, tx, office)
	})
	return office
}
