package audit

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Break names the first link of a chain that does not verify.
type Break struct {
	Office string `json:"office"`
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

func (b Break) Error() string {
	return fmt.Sprintf("audit chain %s broken at seq %d: %s", b.Office, b.Seq, b.Reason)
}

// Report is the result of walking every chain.
type Report struct {
	Chains  int
	Entries int64
	Breaks  []Break // at most one per chain (the first broken link), plus forged checkpoints
	// Anchored: the walk compared the chains with the signed checkpoints;
	// Checkpoints is how many it compared.
	Anchored    bool
	Checkpoints int
}

// Verify walks every office's chain from its first entry and recomputes each
// link. Alone it cannot see a rewrite whose hashes were all recomputed:
// Anchor.Verify can.
func Verify(ctx context.Context, pool *pgxpool.Pool) (Report, error) {
	return verify(ctx, pool, nil)
}

// Verify is the package Verify plus every signed checkpoint: a chain must
// pass through each one, and may not end before the last.
func (a *Anchor) Verify(ctx context.Context, pool *pgxpool.Pool) (Report, error) {
	cps, forged, err := a.checkpoints(ctx, pool)
	if err != nil {
		return Report{}, err
	}
	r, err := verify(ctx, pool, cps)
	r.Anchored = true
	r.Breaks = append(r.Breaks, forged...)
	return r, err
}

type head struct {
	office string
	seq    int64
	hash   []byte
}

func verify(ctx context.Context, pool *pgxpool.Pool, cps map[string]map[int64]Checkpoint) (Report, error) {
	var r Report
	rows, err := pool.Query(ctx, `SELECT office, seq, hash FROM audit_heads ORDER BY office`)
	if err != nil {
		return r, err
	}
	heads, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (head, error) {
		var h head
		return h, row.Scan(&h.office, &h.seq, &h.hash)
	})
	if err != nil {
		return r, err
	}
	seen := map[string]bool{}
	for _, h := range heads {
		seen[h.office] = true
		w := walker{office: h.office, want: 1, cps: cps[h.office]}
		if err := verifyChain(ctx, pool, &w); err != nil {
			return r, err
		}
		r.Chains++
		r.Entries += w.want - 1
		r.Checkpoints += w.matched
		if brk := w.end(h.seq, h.hash); brk != nil {
			r.Breaks = append(r.Breaks, *brk)
		}
	}
	// A signed chain whose head row is gone was deleted whole.
	for office, byseq := range cps {
		if !seen[office] {
			last := slices.Max(keys(byseq))
			r.Breaks = append(r.Breaks, Break{office, 1, fmt.Sprintf("chain missing, though signed through seq %d", last)})
		}
	}
	return r, nil
}

func keys(m map[int64]Checkpoint) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func verifyChain(ctx context.Context, pool *pgxpool.Pool, w *walker) error {
	rows, err := pool.Query(ctx, `SELECT seq, at, actor, action, subject, data, prev_hash, hash
		FROM audit_log WHERE office = $1 ORDER BY seq`, w.office)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := w.step(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// walker checks one chain row by row, remembering the first break.
type walker struct {
	office  string
	prev    []byte
	want    int64
	brk     *Break
	cps     map[int64]Checkpoint // signed heads of this chain, by seq
	lastCP  int64                // the last checkpoint passed
	matched int
}

func (w *walker) step(rows pgx.Rows) error {
	var seq int64
	var at time.Time
	var actor, action, subject, data string
	var prevHash, hash []byte
	if err := rows.Scan(&seq, &at, &actor, &action, &subject, &data, &prevHash, &hash); err != nil {
		return err
	}
	if w.brk == nil {
		switch cp, signed := w.cps[seq]; {
		case seq != w.want:
			w.brk = &Break{w.office, w.want, fmt.Sprintf("entry missing (next stored is %d)", seq)}
		case !bytes.Equal(prevHash, w.prev):
			w.brk = &Break{w.office, seq, "previous-hash link does not match"}
		case !bytes.Equal(hash, Hash(w.prev, w.office, seq, at, actor, action, subject, data)):
			w.brk = &Break{w.office, seq, "content does not match its hash"}
		case signed && !bytes.Equal(hash, cp.Hash):
			w.brk = &Break{w.office, seq, fmt.Sprintf("differs from the checkpoint signed %s: an entry after seq %d was rewritten and the hashes recomputed",
				cp.At.Format(time.RFC3339), w.lastCP)}
		case signed:
			w.matched++
			w.lastCP = seq
		}
	}
	w.prev, w.want = hash, seq+1
	return nil
}

// end checks the chain's end against its head row and its last checkpoint.
func (w *walker) end(headSeq int64, headHash []byte) *Break {
	if w.brk != nil {
		return w.brk
	}
	last := w.want - 1
	if last != headSeq || !bytes.Equal(w.prev, headHash) {
		return &Break{w.office, w.want, fmt.Sprintf("chain ends at %d but head says %d (entries removed at the end)", last, headSeq)}
	}
	for seq := range w.cps {
		if seq > last {
			return &Break{w.office, last + 1, fmt.Sprintf("chain ends at %d but was signed through seq %d (entries removed at the end)", last, seq)}
		}
	}
	return nil
}
