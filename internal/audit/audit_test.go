package audit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/internal/testdb"
)

func TestChainVerifiesAndNamesTheFirstTamperedRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, url := testdb.Pool(t, testdb.Seed{})
	at := time.Date(2026, 3, 2, 1, 2, 3, 456789000, time.UTC)
	for i := 0; i < 3; i++ {
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			return audit.Append(ctx, tx,
				audit.Entry{Office: "JKS", At: at, Actor: "officer:1", Action: "booking.create", Subject: "booking:X", Data: map[string]any{"i": i}},
				audit.Entry{Office: "DPS", At: at, Actor: "system", Action: "quota.set", Subject: "day", Data: nil},
				audit.Entry{Office: "JKS", At: at, Actor: "officer:1", Action: "booking.cancel", Subject: "booking:X", Data: []int{i}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	r, err := audit.Verify(ctx, pool)
	if err != nil || len(r.Breaks) != 0 || r.Chains != 2 || r.Entries != 9 {
		t.Fatalf("fresh chains: %+v %v", r, err)
	}

	// The database itself refuses to change history.
	for _, stmt := range []string{"UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"} {
		if _, err := pool.Exec(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: want refusal, got %v", stmt, err)
		}
	}

	// A superuser who goes behind the guard is still caught, at the row changed.
	admin, err := db.Open(ctx, testdb.Superuser(t, url))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	err = pgx.BeginFunc(ctx, admin, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL session_replication_role = replica"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE audit_log SET data = '{"i": 99}' WHERE office = 'JKS' AND seq = 3`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err = audit.Verify(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Breaks) != 1 || r.Breaks[0].Office != "JKS" || r.Breaks[0].Seq != 3 {
		t.Fatalf("want break at JKS seq 3, got %+v", r.Breaks)
	}
	if !strings.Contains(r.Breaks[0].Error(), "JKS broken at seq 3") {
		t.Errorf("message does not name the row: %s", r.Breaks[0].Error())
	}
}

func TestChainDetectsRemovedTail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, url := testdb.Pool(t, testdb.Seed{})
	for i := 0; i < 2; i++ {
		if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			return audit.Append(ctx, tx, audit.Entry{Office: "JKS", At: time.Now(), Actor: "a", Action: "b", Subject: "c", Data: i})
		}); err != nil {
			t.Fatal(err)
		}
	}
	admin, _ := db.Open(ctx, testdb.Superuser(t, url))
	defer admin.Close()
	if err := pgx.BeginFunc(ctx, admin, func(tx pgx.Tx) error {
		_, _ = tx.Exec(ctx, "SET LOCAL session_replication_role = replica")
		_, err := tx.Exec(ctx, `DELETE FROM audit_log WHERE office = 'JKS' AND seq = 2`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	r, _ := audit.Verify(ctx, pool)
	if len(r.Breaks) != 1 || r.Breaks[0].Seq != 2 {
		t.Fatalf("want a break at seq 2, got %+v", r.Breaks)
	}
}
