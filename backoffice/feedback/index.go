package feedback

import (
	"context"
	"time"
)

// SatisfactionOn is the mean score of the feedback given at office on day
// (the office's calendar day), over both points, and how many answered.
func (s *Service) SatisfactionOn(ctx context.Context, office string, day time.Time) (float64, int, error) {
	var mean float64
	var n int
	err := s.Pool.QueryRow(ctx, `SELECT coalesce(avg(f.score), 0), count(*) FROM feedback f
		JOIN offices o ON o.code = f.office
		WHERE f.office = $1 AND f.at >= ($2::date::timestamp AT TIME ZONE o.timezone)
		AND f.at < (($2::date + 1)::timestamp AT TIME ZONE o.timezone)`, office, day).Scan(&mean, &n)
	return mean, n, err
}
