package audit

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Break names the first link of a chain that does not verify.
type Break struct {
	Office string
	Seq    int64
	Reason string
}

func (b Break) Error() string {
	return fmt.Sprintf("audit chain %s broken at seq %d: %s", b.Office, b.Seq, b.Reason)
}

// Report is the result of walking every chain.
type Report struct {
	Chains  int
	Entries int64
	Breaks  []Break // at most one per chain: the first broken link
}

// Verify walks every office's chain from its first entry and recomputes each link.
func Verify(ctx context.Context, pool *pgxpool.Pool) (Report, error) {
	var r Report
	rows, err := pool.Query(ctx, `SELECT office, seq, hash FROM audit_heads ORDER BY office`)
	if err != nil {
		return r, err
	}
	type head struct {
		office string
		seq    int64
		hash   []byte
	}
	heads, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (head, error) {
		var h head
		return h, row.Scan(&h.office, &h.seq, &h.hash)
	})
	if err != nil {
		return r, err
	}
	for _, h := range heads {
		n, brk, err := verifyChain(ctx, pool, h.office, h.seq, h.hash)
		if err != nil {
			return r, err
		}
		r.Chains++
		r.Entries += n
		if brk != nil {
			r.Breaks = append(r.Breaks, *brk)
		}
	}
	return r, nil
}

func verifyChain(ctx context.Context, pool *pgxpool.Pool, office string, headSeq int64, headHash []byte) (int64, *Break, error) {
	rows, err := pool.Query(ctx, `SELECT seq, at, actor, action, subject, data, prev_hash, hash
		FROM audit_log WHERE office = $1 ORDER BY seq`, office)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var (
		prev []byte
		want int64 = 1
		brk  *Break
	)
	for rows.Next() {
		var seq int64
		var at time.Time
		var actor, action, subject, data string
		var prevHash, hash []byte
		if err := rows.Scan(&seq, &at, &actor, &action, &subject, &data, &prevHash, &hash); err != nil {
			return 0, nil, err
		}
		if brk == nil {
			switch {
			case seq != want:
				brk = &Break{office, want, fmt.Sprintf("entry missing (next stored is %d)", seq)}
			case !bytes.Equal(prevHash, prev):
				brk = &Break{office, seq, "previous-hash link does not match"}
			case !bytes.Equal(hash, Hash(prev, office, seq, at, actor, action, subject, data)):
				brk = &Break{office, seq, "content does not match its hash"}
			}
		}
		prev, want = hash, seq+1
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	if brk == nil && (want-1 != headSeq || !bytes.Equal(prev, headHash)) {
		brk = &Break{office, want, fmt.Sprintf("chain ends at %d but head says %d (entries removed at the end)", want-1, headSeq)}
	}
	return want - 1, brk, nil
}
