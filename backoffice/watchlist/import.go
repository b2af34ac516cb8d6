package watchlist

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
)

// BatchSize is how many lines one import transaction writes.
const BatchSize = 1000

// ImportResult says what happened to each line after the header.
type ImportResult struct {
	Added, Updated, Unchanged []int // line numbers
	Refused                   []Refusal
}

// Import reads a CSV list (header Columns, UTF-8) and upserts its entries,
// BatchSize lines per transaction, each with one audit entry per authority
// on the network chain. Importing the same file again changes nothing. A bad
// line is refused with its line number and does not stop the others; a bad
// header refuses the file. actor is who imports ("cli", "officer:12").
func (l *List) Import(ctx context.Context, r io.Reader, actor string, now time.Time) (ImportResult, error) {
	var res ImportResult
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil || !headerOK(head) {
		res.Refused = append(res.Refused, Refusal{Line: 1, Field: "header", Key: KeyHeader, Params: []any{"columns", strings.Join(Columns, ",")}})
		return res, nil
	}
	today := now.UTC().Truncate(24 * time.Hour)
	seen := map[string]int{}
	var batch []lineEntry
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			res.Refused = append(res.Refused, Refusal{Line: pe.StartLine, Field: "csv", Key: KeyCSV})
			continue
		case err != nil:
			return res, err
		case len(rec) != len(Columns):
			res.Refused = append(res.Refused, Refusal{Line: line, Field: "columns", Key: KeyColumns, Params: []any{"n", len(rec), "want", len(Columns)}})
			continue
		}
		e, bad := parseRow(rec, line, today)
		if bad != nil {
			res.Refused = append(res.Refused, *bad)
			continue
		}
		if first, dup := seen[e.identity()]; dup {
			res.Refused = append(res.Refused, Refusal{Line: line, Field: "full_name", Key: KeyDuplicate, Params: []any{"line", first}})
			continue
		}
		seen[e.identity()] = line
		if batch = append(batch, lineEntry{line, e}); len(batch) == BatchSize {
			if err := l.write(ctx, batch, &res, actor, now); err != nil {
				return res, err
			}
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		if err := l.write(ctx, batch, &res, actor, now); err != nil {
			return res, err
		}
	}
	return res, nil
}

type lineEntry struct {
	line int
	e    Entry
}

// headerOK accepts the contract's header, in any case, with a UTF-8 BOM.
func headerOK(head []string) bool {
	if len(head) != len(Columns) {
		return false
	}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
		if h != Columns[i] {
			return false
		}
	}
	return true
}

// The upsert: a changed entry is updated, an identical one left alone (no
// row back), so a re-import touches nothing. xmax = 0 tells an insert.
const (
	upsertSet = ` DO UPDATE SET full_name = excluded.full_name, name_key = excluded.name_key,
		birth_date = excluded.birth_date, kind = excluded.kind, reason = excluded.reason,
		valid_from = excluded.valid_from, valid_to = excluded.valid_to, updated_at = excluded.updated_at
	WHERE (w.full_name, w.birth_date, w.kind, w.reason, w.valid_from, w.valid_to) IS DISTINCT FROM
		(excluded.full_name, excluded.birth_date, excluded.kind, excluded.reason, excluded.valid_from, excluded.valid_to)
	RETURNING id, xmax = 0`
	upsertInsert = `INSERT INTO watchlist_entries AS w (nik, full_name, name_key, birth_date, kind, reason, authority,
		valid_from, valid_to, created_at, updated_at) VALUES (nullif($1, ''), $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`
	upsertByNIK  = upsertInsert + ` ON CONFLICT (authority, nik) WHERE nik IS NOT NULL` + upsertSet
	upsertByName = upsertInsert + ` ON CONFLICT (authority, name_key, birth_date) WHERE nik IS NULL` + upsertSet
)

// write upserts one batch in one transaction with its audit entries.
func (l *List) write(ctx context.Context, batch []lineEntry, res *ImportResult, actor string, now time.Time) error {
	tx, err := l.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	type outcome struct {
		id       int64
		inserted bool
		changed  bool
	}
	out := make([]outcome, len(batch))
	b := &pgx.Batch{}
	for i, le := range batch {
		e := le.e
		sql := upsertByName
		if e.NIK != "" {
			sql = upsertByNIK
		}
		b.Queue(sql, e.NIK, e.FullName, e.NameKey, nullDate(e.BirthDate, e.HasBirth), e.Kind, e.Reason, e.Authority,
			e.ValidFrom, nullDate(e.ValidTo, !e.ValidTo.IsZero()), now).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&out[i].id, &out[i].inserted)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			out[i].changed = err == nil
			return err
		})
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("watchlist import, lines %d–%d: %w", batch[0].line, batch[len(batch)-1].line, err)
	}
	// What the audit log keeps: counts and entry ids per authority, no names or NIKs.
	type tally struct{ Added, Updated []int64 }
	byAuth := map[string]*tally{}
	var added, updated, unchanged []int
	for i, o := range out {
		le := batch[i]
		t := byAuth[le.e.Authority]
		if t == nil {
			t = &tally{}
			byAuth[le.e.Authority] = t
		}
		switch {
		case o.changed && o.inserted:
			added, t.Added = append(added, le.line), append(t.Added, o.id)
		case o.changed:
			updated, t.Updated = append(updated, le.line), append(t.Updated, o.id)
		default:
			unchanged = append(unchanged, le.line)
		}
	}
	var entries []audit.Entry
	auths := make([]string, 0, len(byAuth))
	for a := range byAuth {
		auths = append(auths, a)
	}
	slices.Sort(auths)
	for _, a := range auths {
		t := byAuth[a]
		if len(t.Added)+len(t.Updated) == 0 {
			continue
		}
		entries = append(entries, audit.Entry{Office: audit.Network, At: now, Actor: actor, Action: "watchlist.import",
			Subject: "watchlist_authority:" + a, Data: map[string]any{
				"added": len(t.Added), "updated": len(t.Updated), "added_ids": t.Added, "updated_ids": t.Updated}})
	}
	if len(entries) > 0 {
		if err := audit.Append(ctx, tx, entries...); err != nil {
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	res.Added = append(res.Added, added...)
	res.Updated = append(res.Updated, updated...)
	res.Unchanged = append(res.Unchanged, unchanged...)
	return nil
}

func nullDate(t time.Time, ok bool) any {
	if !ok {
		return nil
	}
	return t
}
