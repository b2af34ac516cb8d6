package billing

import (
	"context"
	"time"
)

// RevenueOn is the office's bills paid during the office day: their sum in
// rupiah and how many (the daily recap's revenue; bank and cashier alike).
func (s *Service) RevenueOn(ctx context.Context, office string, day time.Time) (amount int64, paid int, err error) {
	err = s.Pool.QueryRow(ctx, `SELECT coalesce(sum(b.amount), 0), count(*) FROM bills b JOIN offices o ON o.code = b.office
		WHERE b.office = $1 AND b.status = 'paid'
		  AND b.paid_at >= ($2::date::timestamp AT TIME ZONE o.timezone) AND b.paid_at < (($2::date + 1)::timestamp AT TIME ZONE o.timezone)`,
		office, day.Format(time.DateOnly)).Scan(&amount, &paid)
	return amount, paid, err
}
