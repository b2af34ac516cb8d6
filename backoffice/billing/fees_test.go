package billing_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/internal/testdb"
)

// The schedule is effective-dated: a new regulation is new rows, and the
// day decides which amount applies.
func TestPricesOnFollowsEffectiveDates(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Pool(t, seed)
	ctx := context.Background()
	// Seeding twice changes nothing.
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return billing.SeedFees(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE fees SET effective_to = '2027-01-01' WHERE code = 'electronic_10y';
		INSERT INTO fees (code, description, amount_idr, effective_from) VALUES ('electronic_10y', 'Paspor elektronik 10 tahun', 1100000, '2027-01-01')`); err != nil {
		t.Fatal(err)
	}
	for on, want := range map[string]int64{"2024-12-16": -1, "2024-12-17": 950_000, "2026-12-31": 950_000, "2027-01-01": 1_100_000} {
		p, err := billing.PricesOn(ctx, pool, day(on))
		if err != nil {
			t.Fatal(err)
		}
		f, ok := p["electronic_10y"]
		switch {
		case want < 0 && ok:
			t.Errorf("%s: a fee before the regulation: %d", on, f.Amount)
		case want >= 0 && f.Amount != want:
			t.Errorf("%s: electronic_10y = %d, want %d", on, f.Amount, want)
		}
		if want >= 0 && len(p) != len(billing.Fees2024) {
			t.Errorf("%s: %d fees in force, want %d", on, len(p), len(billing.Fees2024))
		}
	}
	// The seed copy of the schedule is PP 45/2024's.
	p, _ := billing.PricesOn(ctx, pool, day("2026-03-02"))
	for code, want := range map[string]int64{"ordinary_5y": 350_000, "ordinary_10y": 650_000, "electronic_5y": 650_000,
		"electronic_10y": 950_000, "same_day": 1_000_000, "lost": 1_000_000, "damaged": 500_000, "force_majeure": 0} {
		if got, ok := p[code]; !ok || got.Amount != want {
			t.Errorf("%s = %v, want %d", code, got, want)
		}
	}
}
