// Package throttle counts attempts against limits in PostgreSQL (the table
// throttle_counters, which only this package writes), so every instance
// shares one count and attempts made at the same moment are counted one by
// one: each counter is taken by a single conditional upsert.
//
// A caller takes a slot of every counter that applies before the attempt and
// gives the slots back when the attempt proves good, so what is limited is
// failures plus attempts still in flight; a burst cannot outrun the count.
package throttle

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Rule is a limit: at most Limit attempts per Window, the window starting
// with the first attempt counted after the previous one ended.
type Rule struct {
	Name   string // which limit, e.g. "login.user_address"
	Limit  int
	Window time.Duration
}

// Counter is a rule applied to one key: a username, a client address, …
type Counter struct {
	Rule Rule
	Key  string
}

// maxKey is the longest key stored as it is; longer ones are hashed.
const maxKey = 128

// For is r's counter for key.
func (r Rule) For(key string) Counter {
	if len(key) > maxKey || key == "" {
		h := sha256.Sum256([]byte(key))
		key = "sha256:" + hex.EncodeToString(h[:])
	}
	return Counter{Rule: r, Key: key}
}

// Refused is Take's answer when a counter is full: nothing was counted.
type Refused struct {
	Rule    string    // the full counter's rule (the latest to reopen, if several)
	RetryAt time.Time // when every full counter has room again
}

func (e *Refused) Error() string {
	return fmt.Sprintf("throttle %s: full until %s", e.Rule, e.RetryAt.UTC().Format(time.RFC3339))
}

// DB is a pool or a transaction: Take runs in a transaction of its own, or a
// savepoint of the caller's (then the caller's rollback returns the slots).
type DB interface {
	Begin(ctx context.Context) (pgx.Tx, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Slots are the counted attempts Take returned, to give back with Return.
type Slots struct {
	taken []slot
}

type slot struct {
	c     Counter
	reset time.Time // the window the slot was counted in
}

// Take counts one attempt on every counter, all or none: a *Refused (and
// nothing counted) when any of them is full.
func Take(ctx context.Context, db DB, now time.Time, cs ...Counter) (Slots, error) {
	// A fixed order, so two attempts sharing counters cannot deadlock.
	cs = slices.Clone(cs)
	slices.SortFunc(cs, func(a, b Counter) int {
		return cmp.Or(cmp.Compare(a.Rule.Name, b.Rule.Name), cmp.Compare(a.Key, b.Key))
	})
	var s Slots
	var refused *Refused
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		for _, c := range cs {
			reset, ok, err := take(ctx, tx, now, c)
			if err != nil {
				return err
			}
			if !ok && (refused == nil || reset.After(refused.RetryAt)) {
				refused = &Refused{Rule: c.Rule.Name, RetryAt: reset}
			}
			s.taken = append(s.taken, slot{c: c, reset: reset})
		}
		if refused != nil {
			return refused // rolls back the counters that had room
		}
		return nil
	})
	if err != nil {
		return Slots{}, err
	}
	return s, nil
}

// take is the one statement that counts an attempt: a new or ended window
// starts at 1, an open one goes up only while below the limit. Concurrent
// upserts of one counter wait for each other's row lock and re-check the
// condition on the row as the previous one left it.
func take(ctx context.Context, tx pgx.Tx, now time.Time, c Counter) (time.Time, bool, error) {
	var reset time.Time
	err := tx.QueryRow(ctx, `INSERT INTO throttle_counters AS t (rule, key, n, reset_at) VALUES ($1, $2, 1, $4)
		ON CONFLICT (rule, key) DO UPDATE SET
			n = CASE WHEN t.reset_at <= $3 THEN 1 ELSE t.n + 1 END,
			reset_at = CASE WHEN t.reset_at <= $3 THEN EXCLUDED.reset_at ELSE t.reset_at END
		WHERE t.reset_at <= $3 OR t.n < $5
		RETURNING reset_at`, c.Rule.Name, c.Key, now, now.Add(c.Rule.Window), c.Rule.Limit).Scan(&reset)
	if err == nil {
		return reset, true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, false, err
	}
	// Full: the row is locked by the upsert, so this reads the window it refused.
	err = tx.QueryRow(ctx, `SELECT reset_at FROM throttle_counters WHERE rule = $1 AND key = $2`, c.Rule.Name, c.Key).Scan(&reset)
	return reset, false, err
}

// Return gives the slots back: the attempt proved good and counts against no
// limit. A slot whose window has since ended is already gone.
func (s Slots) Return(ctx context.Context, db DB) error {
	for _, t := range s.taken {
		if _, err := db.Exec(ctx, `UPDATE throttle_counters SET n = n - 1
			WHERE rule = $1 AND key = $2 AND reset_at = $3 AND n > 0`, t.c.Rule.Name, t.c.Key, t.reset); err != nil {
			return err
		}
	}
	return nil
}

// PruneSpec is when the scheduler deletes ended counters (hourly).
const PruneSpec = "23 * * * *"

// pruneBatch bounds one delete, so a flood of counters is cleared in short
// statements.
const pruneBatch = 5000

// Prune deletes counters whose window ended by now and returns how many.
func Prune(ctx context.Context, db DB, now time.Time) (int64, error) {
	var total int64
	for {
		tag, err := db.Exec(ctx, `DELETE FROM throttle_counters WHERE (rule, key) IN (
			SELECT rule, key FROM throttle_counters WHERE reset_at <= $1 LIMIT $2)`, now, pruneBatch)
		if err != nil {
			return total, err
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < pruneBatch {
			return total, nil
		}
	}
}
