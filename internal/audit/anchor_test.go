package audit_test

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/audit/audittest"
	"github.com/sppt/sppt/internal/testdb"
)

func randomAnchor(t *testing.T, dir string) *audit.Anchor {
	t.Helper()
	key := make([]byte, audit.KeySize)
	rand.Read(key)
	a, err := audit.NewAnchor(key, dir)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func appendN(t *testing.T, pool *pgxpool.Pool, office string, n int, at time.Time) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			return audit.Append(ctx, tx, audit.Entry{Office: office, At: at.Add(time.Duration(i) * time.Second),
				Actor: "officer:1", Action: "application.move", Subject: "application:JKS-20260302-A00" + string(rune('1'+i)),
				Data: map[string]any{"to": "desk"}})
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// rewrite changes the data of one entry and recomputes its chain, so the
// bare chain verifies again.
func rewrite(ctx context.Context, tx pgx.Tx, office string, seq int64, data string) error {
	if _, err := tx.Exec(ctx, `UPDATE audit_log SET data = $3 WHERE office = $1 AND seq = $2`, office, seq, data); err != nil {
		return err
	}
	return audittest.Rechain(ctx, tx, office)
}

// Issue 14 #9: a row rewritten as superuser, behind the trigger, with every
// hash recomputed passes the bare chain check; the signed checkpoints
// exported off the database still find it, even when the attacker also
// deletes the checkpoints kept in the database.
func TestRewrittenRowWithRecomputedHashesIsFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, url := testdb.Pool(t, testdb.Seed{})
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	appendN(t, pool, "JKS", 5, at)
	appendN(t, pool, "DPS", 2, at)
	a := randomAnchor(t, t.TempDir())
	signed, brk, err := a.Checkpoint(ctx, pool, at.Add(time.Hour))
	if err != nil || signed != 2 || len(brk) != 0 {
		t.Fatalf("checkpoint: signed %d breaks %v err %v", signed, brk, err)
	}
	appendN(t, pool, "JKS", 2, at.Add(2*time.Hour)) // seq 6, 7: not yet signed
	if r, err := a.Verify(ctx, pool); err != nil || len(r.Breaks) != 0 || r.Checkpoints != 2 || !r.Anchored {
		t.Fatalf("untouched: %+v %v", r, err)
	}

	audittest.AsSuperuser(t, url, func(ctx context.Context, tx pgx.Tx) error {
		if err := rewrite(ctx, tx, "JKS", 3, `{"to": "rejected"}`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM audit_checkpoints`)
		return err
	})
	if r, err := audit.Verify(ctx, pool); err != nil || len(r.Breaks) != 0 {
		t.Fatalf("the bare chain was expected to be fooled (that is the hole): %+v %v", r, err)
	}
	r, err := a.Verify(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Breaks) != 1 || r.Breaks[0].Office != "JKS" || r.Breaks[0].Seq != 5 ||
		!strings.Contains(r.Breaks[0].Reason, "rewritten") {
		t.Fatalf("want the rewrite found at JKS's checkpoint (seq 5), got %+v", r.Breaks)
	}

	// Nor is the rewritten chain signed afresh: the file's checkpoint is the
	// base, and the recomputed links no longer lead from it.
	signed, brk, err = a.Checkpoint(ctx, pool, at.Add(3*time.Hour))
	if err != nil || signed != 0 || len(brk) != 1 || brk[0].Office != "JKS" {
		t.Fatalf("re-anchor after the rewrite: signed %d (want none) breaks %v err %v", signed, brk, err)
	}
	if r, _ := a.Verify(ctx, pool); len(r.Breaks) != 1 {
		t.Fatalf("still found after a later checkpoint run: %+v", r.Breaks)
	}
}

func testLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestForgedCheckpointAndTruncatedTailAreFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, url := testdb.Pool(t, testdb.Seed{})
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	appendN(t, pool, "JKS", 4, at)
	dir := t.TempDir()
	a := randomAnchor(t, dir)
	if _, _, err := a.Checkpoint(ctx, pool, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "JKS.jsonl")); err != nil || !strings.Contains(string(b), `"seq":4`) {
		t.Fatalf("checkpoint file: %s %v", b, err)
	}
	// Someone without the key signs a checkpoint of their own.
	other := randomAnchor(t, t.TempDir())
	appendN(t, pool, "JKS", 1, at.Add(2*time.Hour))
	if _, _, err := other.Checkpoint(ctx, pool, at.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	r, _ := a.Verify(ctx, pool)
	if len(r.Breaks) != 1 || !strings.Contains(r.Breaks[0].Reason, "does not verify") || r.Breaks[0].Seq != 5 {
		t.Fatalf("want the forged checkpoint named, got %+v", r.Breaks)
	}
	audittest.AsSuperuser(t, url, func(ctx context.Context, tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM audit_checkpoints WHERE seq = 5`); err != nil {
			return err
		}
		var h []byte
		if err := tx.QueryRow(ctx, `SELECT hash FROM audit_log WHERE office = 'JKS' AND seq = 2`).Scan(&h); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM audit_log WHERE office = 'JKS' AND seq > 2`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE audit_heads SET seq = 2, hash = $1 WHERE office = 'JKS'`, h)
		return err
	})
	if r, _ := audit.Verify(ctx, pool); len(r.Breaks) != 0 {
		t.Fatalf("the bare chain cannot see a cut tail with its head moved back: %+v", r.Breaks)
	}
	r, _ = a.Verify(ctx, pool)
	if len(r.Breaks) != 1 || !strings.Contains(r.Breaks[0].Reason, "signed through seq 4") {
		t.Fatalf("want the cut tail found, got %+v", r.Breaks)
	}
}

func TestNightlyStoresItsResult(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, url := testdb.Pool(t, testdb.Seed{})
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	appendN(t, pool, "JKS", 3, at)
	a := randomAnchor(t, t.TempDir())
	if _, ok, err := audit.LastCheck(ctx, pool); ok || err != nil {
		t.Fatalf("no check yet: %v %v", ok, err)
	}
	c, err := audit.Nightly(ctx, pool, a, at.Add(time.Hour), testLog())
	if err != nil || !c.OK() || c.Entries != 3 {
		t.Fatalf("first night: %+v %v", c, err)
	}
	audittest.AsSuperuser(t, url, func(ctx context.Context, tx pgx.Tx) error { return rewrite(ctx, tx, "JKS", 1, `{"x": 1}`) })
	if _, err := audit.Nightly(ctx, pool, a, at.Add(25*time.Hour), testLog()); err != nil {
		t.Fatal(err)
	}
	last, ok, err := audit.LastCheck(ctx, pool)
	if err != nil || !ok || last.OK() || !last.Anchored || len(last.For("JKS").Breaks) != 1 || len(last.For("DPS").Breaks) != 0 {
		t.Fatalf("second night: %+v %v %v", last, ok, err)
	}
}
