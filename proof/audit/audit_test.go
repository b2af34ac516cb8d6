// Package audit is `make proof`'s audit line (issue 14, part 2, item 5):
// signed entries of the audit log rewritten by someone with the database's
// superuser — behind the append-only guard, every hash after the change
// recomputed and the chain's head moved, so the bare hash chain verifies —
// are each found by the check operators run (`sppt audit verify`, the
// nightly job), because the checkpoints it compares with are signed with a
// key the database never holds and kept in files off it.
package audit

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/audit/audittest"
	"github.com/sppt/sppt/internal/testdb"
	"github.com/sppt/sppt/proof/prooftest"
)

var day = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

// A tampering is done as superuser to JKS's chain, whose first signed
// entries are 1..signed; DPS's chain is left alone and must stay clean.
type tampering struct {
	name string
	do   func(ctx context.Context, tx pgx.Tx, forger *audit.Anchor, pool *pgxpool.Pool) error
}

func tamperings() []tampering {
	edit := func(set string) func(ctx context.Context, tx pgx.Tx, _ *audit.Anchor, _ *pgxpool.Pool) error {
		return func(ctx context.Context, tx pgx.Tx, _ *audit.Anchor, _ *pgxpool.Pool) error {
			if _, err := tx.Exec(ctx, `UPDATE audit_log SET `+set+` WHERE office = 'JKS' AND seq = 7`); err != nil {
				return err
			}
			return audittest.Rechain(ctx, tx, "JKS")
		}
	}
	return []tampering{
		{"a payment's amount lowered", edit(`data = '{"amount": 1}'`)},
		{"the officer who signed a BAP replaced", edit(`actor = 'officer:99'`)},
		{"an entry backdated by a day", edit(`at = at - interval '1 day'`)},
		{"an approval turned into a refusal", edit(`action = 'adjudication.refuse'`)},
		{"an entry deleted, the rest renumbered", func(ctx context.Context, tx pgx.Tx, _ *audit.Anchor, _ *pgxpool.Pool) error {
			return exec(ctx, tx, `DELETE FROM audit_log WHERE office = 'JKS' AND seq = 9`,
				`UPDATE audit_log SET seq = -seq WHERE office = 'JKS' AND seq > 9`,
				`UPDATE audit_log SET seq = -seq - 1 WHERE office = 'JKS' AND seq < 0`, rechainSQL)
		}},
		{"an entry inserted, the rest renumbered", func(ctx context.Context, tx pgx.Tx, _ *audit.Anchor, _ *pgxpool.Pool) error {
			return exec(ctx, tx, `UPDATE audit_log SET seq = -seq WHERE office = 'JKS' AND seq >= 4`,
				`UPDATE audit_log SET seq = -seq + 1 WHERE office = 'JKS' AND seq < 0`,
				`INSERT INTO audit_log (office, seq, at, actor, action, subject, data, prev_hash, hash)
					VALUES ('JKS', 4, '2026-03-02 01:03:30Z', 'officer:2', 'payment.received', 'application:JKS-20260302-A099',
					'{"amount": 350000}', '\x', '\x')`, rechainSQL)
		}},
		{"the newest signed entries cut, the head moved back", func(ctx context.Context, tx pgx.Tx, _ *audit.Anchor, _ *pgxpool.Pool) error {
			return exec(ctx, tx, `DELETE FROM audit_log WHERE office = 'JKS' AND seq > 20`, rechainSQL)
		}},
		{"a rewrite, and the checkpoints kept in the database deleted", func(ctx context.Context, tx pgx.Tx, a *audit.Anchor, p *pgxpool.Pool) error {
			if err := edit(`data = '{"to": "approved"}'`)(ctx, tx, a, p); err != nil {
				return err
			}
			return exec(ctx, tx, `DELETE FROM audit_checkpoints`)
		}},
		{"a rewrite, and the whole chain built anew from seq 1", func(ctx context.Context, tx pgx.Tx, _ *audit.Anchor, _ *pgxpool.Pool) error {
			return exec(ctx, tx, `UPDATE audit_log SET data = '{"rebuilt": true}' WHERE office = 'JKS'`,
				`DELETE FROM audit_checkpoints WHERE office = 'JKS'`, rechainSQL)
		}},
	}
}

// TestSignedRewritesAreFound is the line; each tampering runs on a fresh
// database with the same two chains, signed by the deployment's anchor.
func TestSignedRewritesAreFound(t *testing.T) {
	cases := tamperings()
	found, fooled, entries := 0, 0, 0
	for _, c := range cases {
		ok := t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			pool, url := testdb.Pool(t, testdb.Seed{})
			entries = fill(t, pool)
			anchor := newAnchor(t)
			if n, brk, err := anchor.Checkpoint(ctx, pool, day.Add(time.Hour)); err != nil || n != 2 || len(brk) != 0 {
				t.Fatalf("checkpoint: %d signed, breaks %v, %v", n, brk, err)
			}
			forger := newAnchor(t) // a key of the attacker's own, for the forged case
			audittest.AsSuperuser(t, url, func(ctx context.Context, tx pgx.Tx) error { return c.do(ctx, tx, forger, pool) })
			if bare, err := audit.Verify(ctx, pool); err == nil && len(bare.Breaks) == 0 {
				fooled++ // the hash chain alone is satisfied: the anchor is what finds it
			}
			r, err := anchor.Verify(ctx, pool)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Breaks) == 0 || r.Breaks[0].Office != "JKS" || len(breaksOf(r, "DPS")) != 0 {
				t.Fatalf("want JKS's rewrite found and DPS clean, got %+v", r.Breaks)
			}
			if n, brk, _ := anchor.Checkpoint(ctx, pool, day.Add(2*time.Hour)); n != 0 && len(brk) == 0 {
				t.Fatalf("the rewritten chain was signed afresh (%d heads)", n)
			}
		})
		if ok {
			found++
		}
	}
	forged := forgedCheckpointFound(t)
	prooftest.Line(t, "audit", fmt.Sprintf("%d kinds of rewrite of signed entries as superuser, behind the guard, hashes recomputed; "+
		"and a checkpoint signed without the key", len(cases)), found+forged, len(cases)+1,
		prooftest.Figure("entries_per_case", entries), prooftest.Figure("bare_chain_fooled", fooled),
		prooftest.Figure("forged_checkpoint_found", forged == 1),
		prooftest.Figure("unsigned_window", "entries since the last checkpoint (every 10 min)"))
}

// forgedCheckpointFound: an attacker without the key rewrites an entry and
// signs the new head with a key of his own.
func forgedCheckpointFound(t *testing.T) int {
	ok := t.Run("a checkpoint signed with another key", func(t *testing.T) {
		ctx := context.Background()
		pool, url := testdb.Pool(t, testdb.Seed{})
		fill(t, pool)
		anchor := newAnchor(t)
		if _, _, err := anchor.Checkpoint(ctx, pool, day.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		appendN(t, pool, "JKS", 31, 3, day.Add(90*time.Minute))
		if _, _, err := newAnchor(t).Checkpoint(ctx, pool, day.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		audittest.AsSuperuser(t, url, func(ctx context.Context, tx pgx.Tx) error {
			return exec(ctx, tx, `UPDATE audit_log SET data = '{"forged": true}' WHERE office = 'JKS' AND seq = 32`)
		})
		r, err := anchor.Verify(ctx, pool)
		if err != nil || len(breaksOf(r, "JKS")) == 0 {
			t.Fatalf("want the forged checkpoint found: %+v %v", r.Breaks, err)
		}
	})
	if ok {
		return 1
	}
	return 0
}

func newAnchor(t *testing.T) *audit.Anchor {
	key := make([]byte, audit.KeySize)
	rand.Read(key)
	a, err := audit.NewAnchor(key, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// fill writes 30 entries to JKS's chain and 30 to DPS's, as the pipeline's
// steps do (audit.Append in their own transactions), and returns the count.
func fill(t *testing.T, pool *pgxpool.Pool) int {
	appendN(t, pool, "JKS", 1, 30, day)
	appendN(t, pool, "DPS", 1, 30, day)
	return 60
}

var actions = []string{"booking.book", "application.move", "bap.sign", "payment.received", "passport.print", "passport.validate"}

func appendN(t *testing.T, pool *pgxpool.Pool, office string, first, n int, at time.Time) {
	t.Helper()
	ctx := context.Background()
	for i := first; i < first+n; i++ {
		e := audit.Entry{Office: office, At: at.Add(time.Duration(i) * time.Minute), Actor: fmt.Sprintf("officer:%d", 1+i%3),
			Action: actions[i%len(actions)], Subject: fmt.Sprintf("application:%s-20260302-A%03d", office, i),
			Data: map[string]any{"amount": 350000, "to": "approved"}}
		if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return audit.Append(ctx, tx, e) }); err != nil {
			t.Fatal(err)
		}
	}
}

func exec(ctx context.Context, tx pgx.Tx, sqls ...string) error {
	for _, q := range sqls {
		if q == rechainSQL {
			if err := audittest.Rechain(ctx, tx, "JKS"); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// rechainSQL in exec's list stands for audittest.Rechain of JKS.
const rechainSQL = "-- rechain"

func breaksOf(r audit.Report, office string) []audit.Break {
	var out []audit.Break
	for _, b := range r.Breaks {
		if b.Office == office {
			out = append(out, b)
		}
	}
	return out
}
