package printing_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/printing"
	"github.com/sppt/sppt/internal/testdb"
	"github.com/sppt/sppt/quota"
)

var seed = testdb.Seed{Name: "printing", Fn: func(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return quota.SeedReference(ctx, tx) })
}}

func TestRegisterValidFor(t *testing.T) {
	pool, _ := testdb.Pool(t, seed)
	ctx := context.Background()
	r := &printing.Register{Pool: pool}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	nik := "3273056010900009"
	if _, ok, err := r.ValidFor(ctx, nik, now); err != nil || ok {
		t.Fatalf("empty register: ok=%v err=%v", ok, err)
	}
	old := printing.Passport{No: "A1234567", NIK: nik, Office: "JKS", BookType: "ordinary_48",
		IssuedOn: now.AddDate(-3, 0, 0), ExpiresOn: now.AddDate(2, 0, 0)}
	if err := r.RegisterExisting(ctx, old, now); err != nil {
		t.Fatal(err)
	}
	p, ok, err := r.ValidFor(ctx, nik, now)
	if err != nil || !ok || p.No != "A1234567" {
		t.Fatalf("valid passport: %+v ok=%v err=%v", p, ok, err)
	}
	if _, ok, _ := r.ValidFor(ctx, nik, now.AddDate(3, 0, 0)); ok {
		t.Fatal("an expired passport counts as valid")
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := printing.SetStatus(ctx, tx, "A1234567", printing.StatusLost, "police report", now); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := r.ValidFor(ctx, nik, now); ok {
		t.Fatal("a lost passport counts as valid")
	}
}
