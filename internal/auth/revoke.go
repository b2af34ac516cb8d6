package auth

// Revocation: a token stays a signed, self-contained JWT (no database read
// per request), and each instance keeps the table token_revocations in
// memory. The cache reads what is new at least every Refresh, and at once
// when another instance's revocation arrives as an event (NOTIFY on commit),
// so a revocation holds on every instance within Refresh even if the event
// is lost.

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/events"
)

// RevokedEvent is the event type a revocation publishes (office "").
const RevokedEvent = "token_revoked"

// DefaultRefresh is how stale an instance's revocations may become.
const DefaultRefresh = 30 * time.Second

// overlap re-reads rows recorded shortly before the last one seen: a
// transaction that stamped recorded_at earlier may commit later.
const overlap = time.Minute

// SubjectKey names every token of a subject (e.g. "officer:42").
func SubjectKey(aud, subject string) string { return aud + ":" + subject }

// TokenKey names one token by its ID.
func TokenKey(jti string) string { return "jti:" + jti }

// Revoke records, in the caller's transaction, that tokens under key issued
// before before are refused until expires (when none can be valid anyway),
// and tells every instance when tx commits.
func Revoke(ctx context.Context, tx pgx.Tx, key string, before, expires time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO token_revocations (key, revoked_before, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET revoked_before = greatest(token_revocations.revoked_before, EXCLUDED.revoked_before),
			expires_at = greatest(token_revocations.expires_at, EXCLUDED.expires_at), recorded_at = clock_timestamp()`,
		key, before, expires)
	if err != nil {
		return err
	}
	return events.Publish(ctx, tx, "", RevokedEvent, map[string]string{}, before)
}

// RevokeToken refuses one token from now on (a citizen signing out).
func RevokeToken(ctx context.Context, pool *pgxpool.Pool, c *Claims) error {
	if c == nil || c.ID == "" || c.ExpiresAt == nil {
		return nil
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		return Revoke(ctx, tx, TokenKey(c.ID), c.ExpiresAt.Time, c.ExpiresAt.Time)
	})
}

type revocation struct{ before, expires time.Time }

// Revocations is one instance's cache of token_revocations.
type Revocations struct {
	Pool    *pgxpool.Pool
	Log     *slog.Logger
	Refresh time.Duration // default DefaultRefresh
	Now     func() time.Time

	mu    sync.RWMutex
	keys  map[string]revocation
	mark  time.Time // newest recorded_at read
	nudge chan struct{}
	once  sync.Once
}

func (r *Revocations) init() {
	r.once.Do(func() {
		r.keys = map[string]revocation{}
		r.nudge = make(chan struct{}, 1)
	})
}

// Revoked reports whether c was revoked by a row this instance has read.
func (r *Revocations) Revoked(c *Claims) bool {
	if r == nil {
		return false
	}
	r.init()
	r.mu.RLock()
	defer r.mu.RUnlock()
	if _, ok := r.keys[TokenKey(c.ID)]; ok && c.ID != "" {
		return true
	}
	v, ok := r.keys[SubjectKey(c.Audience(), c.Subject)]
	if !ok {
		return false
	}
	issued := c.IssuedMs
	if issued == 0 && c.IssuedAt != nil {
		issued = c.IssuedAt.Time.UnixMilli()
	}
	return issued < v.before.UnixMilli()
}

// Load reads the rows recorded since the last load (all on the first).
func (r *Revocations) Load(ctx context.Context) error {
	r.init()
	r.mu.RLock()
	since := r.mark.Add(-overlap)
	r.mu.RUnlock()
	if since.Year() < 2000 {
		since = time.Unix(0, 0)
	}
	rows, err := r.Pool.Query(ctx, `SELECT key, revoked_before, expires_at, recorded_at FROM token_revocations
		WHERE recorded_at > $1`, since)
	if err != nil {
		return err
	}
	type row struct {
		key                      string
		before, expires, written time.Time
	}
	got, err := pgx.CollectRows(rows, func(cr pgx.CollectableRow) (row, error) {
		var x row
		err := cr.Scan(&x.key, &x.before, &x.expires, &x.written)
		return x, err
	})
	if err != nil {
		return err
	}
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range got {
		r.keys[x.key] = revocation{before: x.before, expires: x.expires}
		if x.written.After(r.mark) {
			r.mark = x.written
		}
	}
	for k, v := range r.keys {
		if now.After(v.expires) {
			delete(r.keys, k)
		}
	}
	return nil
}

func (r *Revocations) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Nudge asks for a load now (another instance revoked something).
func (r *Revocations) Nudge() {
	r.init()
	select {
	case r.nudge <- struct{}{}:
	default:
	}
}

// Run loads every Refresh and on each nudge until ctx ends; with hub set it
// nudges itself on every revocation event. Rows past expiry are purged
// about hourly (any instance may; deleting twice is harmless).
func (r *Revocations) Run(ctx context.Context, hub *events.Hub) {
	r.init()
	every := r.Refresh
	if every <= 0 {
		every = DefaultRefresh
	}
	if hub != nil {
		sub := hub.Subscribe("", 16)
		defer sub.Close()
		go func() {
			for e := range sub.C {
				if e.Type == RevokedEvent || e.Type == events.Resync {
					r.Nudge()
				}
			}
		}()
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	lastPurge := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-r.nudge:
		}
		if err := r.Load(ctx); err != nil && ctx.Err() == nil && r.Log != nil {
			r.Log.Warn("token revocations not refreshed", "err", err)
		}
		if time.Since(lastPurge) > time.Hour {
			lastPurge = time.Now()
			_, _ = r.Pool.Exec(ctx, `DELETE FROM token_revocations WHERE expires_at < $1`, r.now())
		}
	}
}
