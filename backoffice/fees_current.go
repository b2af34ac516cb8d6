package backoffice

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// FeesOn is the fee schedule in force on day: each code's amount (IDR) from
// its newest row that has started and not ended. The citizen's booking
// confirmation reads it; only SeedFees writes the table.
func FeesOn(ctx context.Context, pool *pgxpool.Pool, day time.Time) (map[string]int64, error) {
	rows, err := pool.Query(ctx, `SELECT DISTINCT ON (code) code, amount_idr FROM fees
		WHERE effective_from <= $1 AND (effective_to IS NULL OR effective_to > $1)
		ORDER BY code, effective_from DESC`, day.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	var code string
	var amount int64
	_, err = pgx.ForEachRow(rows, []any{&code, &amount}, func() error { out[code] = amount; return nil })
	return out, err
}
