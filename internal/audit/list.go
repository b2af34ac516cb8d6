package audit

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Filter picks one office's entries for the audit viewer. Zero fields
// filter nothing; Before pages backwards (entries with seq below it).
type Filter struct {
	Office   string
	From, To time.Time // [From, To)
	Action   string    // exact action, or a prefix ending in "." ("bill.")
	Subject  string    // exact subject, e.g. "application:JKS-20260302-A001"
	Before   int64
	Limit    int
}

// Row is one entry as the viewer shows it, with its link hash.
type Row struct {
	Seq     int64     `json:"seq"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Subject string    `json:"subject"`
	Data    string    `json:"data"`
	Hash    []byte    `json:"hash"`
}

// MaxList bounds one page of the viewer.
const MaxList = 200

// List is the office's entries matching f, newest first.
func List(ctx context.Context, pool *pgxpool.Pool, f Filter) ([]Row, error) {
	if f.Limit <= 0 || f.Limit > MaxList {
		f.Limit = MaxList
	}
	var from, to *time.Time
	if !f.From.IsZero() {
		from = &f.From
	}
	if !f.To.IsZero() {
		to = &f.To
	}
	var before *int64
	if f.Before > 0 {
		before = &f.Before
	}
	rows, err := pool.Query(ctx, `SELECT seq, at, actor, action, subject, data, hash FROM audit_log
		WHERE office = $1 AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at < $3)
		  AND ($4 = '' OR action = $4 OR (right($4, 1) = '.' AND starts_with(action, $4)))
		  AND ($5 = '' OR subject = $5) AND ($6::bigint IS NULL OR seq < $6)
		ORDER BY seq DESC LIMIT $7`, f.Office, from, to, f.Action, f.Subject, before, f.Limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Row])
}
