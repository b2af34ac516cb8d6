// Package backoffice runs the One Stop Service pipeline and the officers who
// work it: accounts and login, queue tickets, intake, biometrics, watchlist,
// adjudication, billing, printing, validation, pickup, feedback and reports.
package backoffice

import (
	"context"

	"github.com/jackc/pgx/v5"
)

type fee struct {
	code, description string
	amount            int64
	from              string
}

// Fees under PP 45/2024 (IDR), effective-dated so a new regulation is a new
// row, never an edit of history.
var Fees2024 = []fee{
	{"ordinary_5y", "Paspor biasa non-elektronik 5 tahun", 350_000, "2024-12-17"},
	{"ordinary_10y", "Paspor biasa non-elektronik 10 tahun", 650_000, "2024-12-17"},
	{"electronic_5y", "Paspor elektronik 5 tahun", 650_000, "2024-12-17"},
	{"electronic_10y", "Paspor elektronik 10 tahun", 950_000, "2024-12-17"},
	{"same_day", "Layanan percepatan (selesai hari yang sama)", 1_000_000, "2024-12-17"},
	{"lost", "Beban paspor hilang", 1_000_000, "2024-12-17"},
	{"damaged", "Beban paspor rusak", 500_000, "2024-12-17"},
	{"force_majeure", "Paspor hilang atau rusak karena bencana (force majeure)", 0, "2024-12-17"},
}

// SeedFees upserts the fee schedule.
func SeedFees(ctx context.Context, tx pgx.Tx) error {
	b := &pgx.Batch{}
	for _, f := range Fees2024 {
		b.Queue(`INSERT INTO fees (code, description, amount_idr, effective_from) VALUES ($1, $2, $3, $4)
			ON CONFLICT (code, effective_from) DO NOTHING`, f.code, f.description, f.amount, f.from)
	}
	return tx.SendBatch(ctx, b).Close()
}
