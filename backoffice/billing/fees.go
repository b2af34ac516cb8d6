package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Fee codes in the schedule.
const (
	FeeOrdinary5    = "ordinary_5y"
	FeeOrdinary10   = "ordinary_10y"
	FeeElectronic5  = "electronic_5y"
	FeeElectronic10 = "electronic_10y"
	FeeSameDay      = "same_day"
	FeeLost         = "lost"
	FeeDamaged      = "damaged"
	FeeForceMajeure = "force_majeure"
)

// SeedFee is one row of a regulation's schedule.
type SeedFee struct {
	Code, Description string
	Amount            int64
	From              string // YYYY-MM-DD the regulation takes effect
}

// Fees2024 is the schedule of PP 45/2024 (IDR), effective-dated so a new
// regulation is new rows, never an edit of history.
var Fees2024 = []SeedFee{
	{FeeOrdinary5, "Paspor biasa non-elektronik 5 tahun", 350_000, "2024-12-17"},
	{FeeOrdinary10, "Paspor biasa non-elektronik 10 tahun", 650_000, "2024-12-17"},
	{FeeElectronic5, "Paspor elektronik 5 tahun", 650_000, "2024-12-17"},
	{FeeElectronic10, "Paspor elektronik 10 tahun", 950_000, "2024-12-17"},
	{FeeSameDay, "Layanan percepatan (selesai hari yang sama)", 1_000_000, "2024-12-17"},
	{FeeLost, "Beban paspor hilang", 1_000_000, "2024-12-17"},
	{FeeDamaged, "Beban paspor rusak", 500_000, "2024-12-17"},
	{FeeForceMajeure, "Paspor hilang atau rusak karena bencana (force majeure)", 0, "2024-12-17"},
}

// SeedFees inserts the schedule; rows already there are left as they are.
func SeedFees(ctx context.Context, tx pgx.Tx) error {
	b := &pgx.Batch{}
	for _, f := range Fees2024 {
		b.Queue(`INSERT INTO fees (code, description, amount_idr, effective_from) VALUES ($1, $2, $3, $4)
			ON CONFLICT (code, effective_from) DO NOTHING`, f.Code, f.Description, f.Amount, f.From)
	}
	return tx.SendBatch(ctx, b).Close()
}

// Fee is one fee as in force on a day.
type Fee struct {
	Description string
	Amount      int64
}

// Prices are the fees in force on one day, by code.
type Prices map[string]Fee

// Querier is what reading needs: a pool or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// PricesOn reads the schedule in force on day (a calendar date): for each
// code, the latest row that has started and not ended.
func PricesOn(ctx context.Context, q Querier, day time.Time) (Prices, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT ON (code) code, description, amount_idr FROM fees
		WHERE effective_from <= $1 AND (effective_to IS NULL OR effective_to > $1)
		ORDER BY code, effective_from DESC`, day.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("fees: %w", err)
	}
	p := Prices{}
	for rows.Next() {
		var code string
		var f Fee
		if err := rows.Scan(&code, &f.Description, &f.Amount); err != nil {
			return nil, err
		}
		p[code] = f
	}
	return p, rows.Err()
}
