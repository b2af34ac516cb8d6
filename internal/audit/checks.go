package audit

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// CheckSpec is the nightly chain check, in UTC: 02:30 WIB, when offices are shut.
const CheckSpec = "30 19 * * *"

// Check is one stored run of the chain check.
type Check struct {
	At          time.Time `json:"at"`
	Chains      int       `json:"chains"`
	Entries     int64     `json:"entries"`
	Checkpoints int       `json:"checkpoints"`
	Anchored    bool      `json:"anchored"`
	Breaks      []Break   `json:"breaks"`
}

// OK is a run that found nothing broken.
func (c Check) OK() bool { return len(c.Breaks) == 0 }

// For is the run as one office sees it: only its own chain's breaks.
func (c Check) For(office string) Check {
	mine := []Break{}
	for _, b := range c.Breaks {
		if b.Office == office {
			mine = append(mine, b)
		}
	}
	c.Breaks = mine
	return c
}

// Nightly verifies every chain (against the checkpoints when a is set),
// stores the result, then signs the heads it has just verified.
func Nightly(ctx context.Context, pool *pgxpool.Pool, a *Anchor, now time.Time, log *slog.Logger) (Check, error) {
	var r Report
	var err error
	if a != nil {
		r, err = a.Verify(ctx, pool)
	} else {
		r, err = Verify(ctx, pool)
	}
	if err != nil {
		return Check{}, err
	}
	c := Check{At: now.UTC().Truncate(time.Microsecond), Chains: r.Chains, Entries: r.Entries, Checkpoints: r.Checkpoints,
		Anchored: r.Anchored, Breaks: r.Breaks}
	if c.Breaks == nil {
		c.Breaks = []Break{}
	}
	if _, err := pool.Exec(ctx, `INSERT INTO audit_checks (at, chains, entries, checkpoints, anchored, breaks)
		VALUES ($1, $2, $3, $4, $5, $6)`, c.At, c.Chains, c.Entries, c.Checkpoints, c.Anchored, c.Breaks); err != nil {
		return c, err
	}
	for _, b := range c.Breaks {
		log.Error("audit chain broken", "office", b.Office, "seq", b.Seq, "reason", b.Reason)
	}
	if a != nil {
		if _, _, err := a.Checkpoint(ctx, pool, now); err != nil {
			return c, err
		}
	}
	return c, nil
}

// LastCheck is the newest stored run; ok false before the first.
func LastCheck(ctx context.Context, pool *pgxpool.Pool) (c Check, ok bool, err error) {
	err = pool.QueryRow(ctx, `SELECT at, chains, entries, checkpoints, anchored, breaks FROM audit_checks
		ORDER BY at DESC, id DESC LIMIT 1`).Scan(&c.At, &c.Chains, &c.Entries, &c.Checkpoints, &c.Anchored, &c.Breaks)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, false, nil
	}
	return c, err == nil, err
}
