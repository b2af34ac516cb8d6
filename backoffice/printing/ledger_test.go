package printing_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sppt/sppt/backoffice/printing"
	"github.com/sppt/sppt/internal/testdb"
)

// Every received serial is in exactly one state, moved only along the
// transitions table, with a history row per move; a spoiled blank needs a
// reason; the report accounts for every serial (unaccounted=0).
func TestLedgerStates(t *testing.T) {
	pool, _ := testdb.Pool(t, seed)
	ctx := context.Background()
	l := &printing.Ledger{Pool: pool}
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

	b, err := l.Receive(ctx, "JKS", "ordinary_48", "A0000001", 10, "test", now)
	if err != nil || b.Last != "A0000010" {
		t.Fatalf("receive: %+v %v", b, err)
	}
	if _, err := l.Receive(ctx, "JKS", "electronic_48", "B9999998", 2, "test", now); err != nil {
		t.Fatal(err)
	}
	// Refusals write nothing.
	for _, tc := range []struct {
		office, typ, first string
		n                  int
		field              string
	}{
		{"JKS", "ordinary_48", "A0000010", 5, "first"}, // overlaps the first batch
		{"JKS", "passport_99", "C0000001", 5, "type"},
		{"JKS", "ordinary_48", "c0000001", 5, "first"},
		{"JKS", "ordinary_48", "C00001", 5, "first"},
		{"JKS", "ordinary_48", "C9999999", 2, "count"}, // runs past C9999999
		{"JKS", "ordinary_48", "C0000001", 0, "count"},
		{"XXX", "ordinary_48", "C0000001", 1, "office"},
	} {
		_, err := l.Receive(ctx, tc.office, tc.typ, tc.first, tc.n, "test", now)
		var be *printing.BatchError
		if !errors.As(err, &be) || be.Field != tc.field {
			t.Errorf("receive %+v: %v, want a %s error", tc, err, tc.field)
		}
	}

	exec := func(sql string, args ...any) error {
		_, err := pool.Exec(ctx, sql, args...)
		return err
	}
	refused := func(what, sql string, args ...any) {
		t.Helper()
		var pe *pgconn.PgError
		if err := exec(sql, args...); !errors.As(err, &pe) || pe.Code != "23514" {
			t.Errorf("%s: %v, want a check violation", what, err)
		}
	}
	refused("in_stock straight to issued", `UPDATE blanks SET state = 'issued', application_no = NULL, passport_no = 'A1', updated_by = 'x' WHERE serial = 'A0000001'`)
	refused("spoiled without a reason", `UPDATE blanks SET state = 'spoiled', updated_by = 'x' WHERE serial = 'A0000001'`)
	refused("a reason on a stocked blank", `UPDATE blanks SET reason = 'why' WHERE serial = 'A0000001'`)
	refused("deleting a serial", `DELETE FROM blanks WHERE serial = 'A0000002'`)
	refused("moving a serial to another office", `UPDATE blanks SET office = 'DPS' WHERE serial = 'A0000002'`)
	refused("an unknown state", `UPDATE blanks SET state = 'lost', updated_by = 'x' WHERE serial = 'A0000002'`)
	refused("a serial received in another state", `INSERT INTO blanks (serial, office, book_type, batch_id, state, updated_at, updated_by)
		SELECT 'Z0000001', office, book_type, batch_id, 'printed', now(), 'x' FROM blanks WHERE serial = 'A0000001'`)
	var pe *pgconn.PgError
	if err := exec(`INSERT INTO blanks (serial, office, book_type, batch_id, state, updated_at, updated_by)
		SELECT 'A0000001', office, book_type, batch_id, 'in_stock', now(), 'x' FROM blanks WHERE serial = 'A0000001'`); !errors.As(err, &pe) || pe.Code != "23505" {
		t.Errorf("a serial twice (two states at once): %v", err)
	}

	if err := l.Spoil(ctx, "JKS", "A0000003", "", "test", now); err == nil {
		t.Error("spoiled without a reason through the ledger")
	}
	if err := l.Spoil(ctx, "JKS", "A0000003", "water damage in the vault", "test", now); err != nil {
		t.Fatal(err)
	}
	if err := l.Return(ctx, "JKS", "A0000004", "", "test", now); err != nil {
		t.Fatal(err)
	}
	if err := l.Return(ctx, "JKS", "A0000004", "", "test", now); err == nil {
		t.Error("a returned serial returned again")
	}
	if err := l.Spoil(ctx, "DPS", "A0000005", "x", "test", now); err == nil {
		t.Error("another office spoiled JKS's blank")
	}

	total, by, err := l.Report(ctx, "JKS")
	if err != nil {
		t.Fatal(err)
	}
	got := printing.ReportLine("JKS", total)
	if want := "blanks: office=JKS received=12 in_stock=10 assigned=0 printed=0 spoiled=1 issued=0 returned=1 unaccounted=0"; got != want {
		t.Errorf("report:\n%s\nwant\n%s", got, want)
	}
	if by["electronic_48"].Of("in_stock") != 2 || by["ordinary_48"].Received != 10 || by["ordinary_24"].Received != 0 {
		t.Errorf("by type: %+v", by)
	}
	var history int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM blank_history WHERE serial = 'A0000003'`).Scan(&history); err != nil || history != 2 {
		t.Errorf("history of a spoiled serial: %d rows %v, want received + spoiled", history, err)
	}
	var reason string
	if err := pool.QueryRow(ctx, `SELECT reason FROM blank_history WHERE serial = 'A0000003' AND to_state = 'spoiled'`).Scan(&reason); err != nil || !strings.Contains(reason, "water") {
		t.Errorf("spoiled reason in history: %q %v", reason, err)
	}

	// A serial whose history is tampered with is unaccounted.
	if err := exec(`DELETE FROM blank_history WHERE serial = 'A0000004' AND to_state = 'returned'`); err != nil {
		t.Fatal(err)
	}
	if total, _, _ := l.Report(ctx, "JKS"); total.Unaccounted != 1 {
		t.Errorf("tampered history: unaccounted=%d, want 1", total.Unaccounted)
	}
}

func TestNumberFormat(t *testing.T) {
	f, err := printing.ParseNumberFormat("")
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int64]string{1: "A0000001", 9999999: "A9999999", 10000000: "B0000000", 26*10000000 - 1: "Z9999999"} {
		if got, ok := f.Render(n); !ok || got != want {
			t.Errorf("Render(%d) = %s %v, want %s", n, got, ok, want)
		}
	}
	if _, ok := f.Render(26 * 10000000); ok {
		t.Error("a number beyond Z9999999")
	}
	x, err := printing.ParseNumberFormat("XE######")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := x.Render(42); got != "XE000042" {
		t.Errorf("fixed prefix: %s", got)
	}
	for _, bad := range []string{"#######", "@######", "1@######", "@###-###", "@##########", "ABCDEFG#"} {
		if _, err := printing.ParseNumberFormat(bad); err == nil {
			t.Errorf("format %q accepted", bad)
		}
	}
}
