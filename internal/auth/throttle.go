package auth

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Throttle limits failed logins per username and per IP, counted in the
// database so every instance sees the same numbers.
type Throttle struct {
	Window      time.Duration
	PerUsername int
	PerIP       int
}

var DefaultThrottle = Throttle{Window: 15 * time.Minute, PerUsername: 5, PerIP: 30}

// Allowed reports whether another attempt may be made now, and if not, when.
func (t Throttle) Allowed(ctx context.Context, pool *pgxpool.Pool, username, ip string, now time.Time) (bool, time.Time, error) {
	var byUser, byIP int
	var oldest *time.Time
	err := pool.QueryRow(ctx, `SELECT
		count(*) FILTER (WHERE username = $1),
		count(*) FILTER (WHERE ip = $2),
		min(at) FILTER (WHERE username = $1)
		FROM login_attempts WHERE NOT ok AND at > $3 AND (username = $1 OR ip = $2)`,
		username, ip, now.Add(-t.Window)).Scan(&byUser, &byIP, &oldest)
	if err != nil {
		return false, time.Time{}, err
	}
	if byUser >= t.PerUsername || byIP >= t.PerIP {
		retry := now.Add(t.Window)
		if oldest != nil {
			retry = oldest.Add(t.Window)
		}
		return false, retry, nil
	}
	return true, time.Time{}, nil
}

// Record notes an attempt.
func (t Throttle) Record(ctx context.Context, pool *pgxpool.Pool, username, ip string, ok bool, now time.Time) error {
	_, err := pool.Exec(ctx, `INSERT INTO login_attempts (at, username, ip, ok) VALUES ($1, $2, $3, $4)`, now, username, ip, ok)
	return err
}
