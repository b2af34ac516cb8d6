package printing

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/audit"
)

// Blank states (migrations/00860_blanks.sql says what each means; the
// database refuses any move its transitions table does not list).
const (
	BlankInStock  = "in_stock"
	BlankAssigned = "assigned"
	BlankPrinted  = "printed"
	BlankSpoiled  = "spoiled"
	BlankIssued   = "issued"
	BlankReturned = "returned"
)

// BlankStates in the order reports list them.
var BlankStates = []string{BlankInStock, BlankAssigned, BlankPrinted, BlankSpoiled, BlankIssued, BlankReturned}

// MaxBatch bounds one received batch (the table's CHECK).
const MaxBatch = 100000

var serialRE = regexp.MustCompile(`^[A-Z][0-9]{7}$`)

// ValidSerial reports whether s is a blank serial: one capital letter, 7 digits.
func ValidSerial(s string) bool { return serialRE.MatchString(s) }

// Ledger is the blank-booklet ledger of every office.
type Ledger struct{ Pool *pgxpool.Pool }

// Batch is one delivery of blanks.
type Batch struct {
	ID          int64
	Office      string
	BookType    string
	First, Last string
	Count       int
}

// BatchError is a batch refused before anything was written; Field names
// the flag or field at fault.
type BatchError struct {
	Field, Problem string
}

func (e *BatchError) Error() string { return e.Field + ": " + e.Problem }

// Receive records count serials from first, counted up, as in stock at the
// office: all of them or, when any is wrong or already known, none.
func (l *Ledger) Receive(ctx context.Context, office, bookType, first string, count int, actor string, now time.Time) (Batch, error) {
	b := Batch{Office: office, BookType: bookType, First: first, Count: count}
	switch {
	case !slices.Contains(BookTypes, bookType):
		return b, &BatchError{"type", "want ordinary_24, ordinary_48 or electronic_48"}
	case !ValidSerial(first):
		return b, &BatchError{"first", "want one capital letter and 7 digits, such as A0000001"}
	case count < 1 || count > MaxBatch:
		return b, &BatchError{"count", fmt.Sprintf("want 1 to %d", MaxBatch)}
	}
	start, _ := strconv.Atoi(first[1:])
	if start+count-1 > 9999999 {
		return b, &BatchError{"count", "the serials would run past " + first[:1] + "9999999"}
	}
	b.Last = fmt.Sprintf("%s%07d", first[:1], start+count-1)
	err := pgx.BeginFunc(ctx, l.Pool, func(tx pgx.Tx) error {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT true FROM offices WHERE code = $1`, office).Scan(&ok); errors.Is(err, pgx.ErrNoRows) {
			return &BatchError{"office", "no such office"}
		} else if err != nil {
			return err
		}
		// Serials are fixed-width, so a text range is the serial range.
		var dup string
		err := tx.QueryRow(ctx, `SELECT serial FROM blanks WHERE serial BETWEEN $1 AND $2 ORDER BY serial LIMIT 1`, b.First, b.Last).Scan(&dup)
		if err == nil {
			return &BatchError{"first", "serial " + dup + " was already received"}
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO blank_batches (office, book_type, first_serial, count, received_at, received_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, office, bookType, first, count, now, actor).Scan(&b.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO blanks (serial, office, book_type, batch_id, state, updated_at, updated_by)
			SELECT $1 || lpad(($2::int + g)::text, 7, '0'), $3, $4, $5, 'in_stock', $6, $7 FROM generate_series(0, $8::int - 1) g`,
			first[:1], start, office, bookType, b.ID, now, actor, count); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "blanks.receive",
			Subject: "blank_batch:" + strconv.FormatInt(b.ID, 10),
			Data:    map[string]any{"book_type": bookType, "first": b.First, "last": b.Last, "count": count}})
	})
	return b, err
}

// Count is how many serials are in each state; Received is what the
// batches say arrived, Unaccounted what the ledger cannot place (a serial
// missing from its batch, or whose history disagrees with its state) and
// must always be 0.
type Count struct {
	Received, Unaccounted int
	States                map[string]int
}

// Of is the count in state s.
func (c Count) Of(s string) int { return c.States[s] }

func (c *Count) add(o Count) {
	c.Received += o.Received
	c.Unaccounted += o.Unaccounted
	for s, n := range o.States {
		c.States[s] += n
	}
}

func newCount() Count { return Count{States: map[string]int{}} }

// Report accounts for every serial of the office: the total and each book
// type (every type listed, received or not).
func (l *Ledger) Report(ctx context.Context, office string) (Count, map[string]Count, error) {
	by := map[string]Count{}
	for _, t := range BookTypes {
		by[t] = newCount()
	}
	get := func(t string) Count {
		if _, ok := by[t]; !ok {
			by[t] = newCount()
		}
		return by[t]
	}
	rows, err := l.Pool.Query(ctx, `SELECT book_type, sum(count)::int FROM blank_batches WHERE office = $1 GROUP BY 1`, office)
	if err != nil {
		return Count{}, nil, err
	}
	var typ string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&typ, &n}, func() error {
		c := get(typ)
		c.Received = n
		by[typ] = c
		return nil
	}); err != nil {
		return Count{}, nil, err
	}
	var state string
	var off int
	rows, err = l.Pool.Query(ctx, `SELECT b.book_type, b.state, count(*)::int,
			count(*) FILTER (WHERE h.to_state IS DISTINCT FROM b.state)::int
		FROM blanks b LEFT JOIN LATERAL (SELECT to_state FROM blank_history x WHERE x.serial = b.serial ORDER BY x.id DESC LIMIT 1) h ON true
		WHERE b.office = $1 GROUP BY 1, 2`, office)
	if err != nil {
		return Count{}, nil, err
	}
	if _, err := pgx.ForEachRow(rows, []any{&typ, &state, &n, &off}, func() error {
		c := get(typ)
		c.States[state] += n
		c.Unaccounted += off
		by[typ] = c
		return nil
	}); err != nil {
		return Count{}, nil, err
	}
	total := newCount()
	for t, c := range by {
		held := 0
		for _, n := range c.States {
			held += n
		}
		if d := c.Received - held; d != 0 {
			c.Unaccounted += max(d, -d)
		}
		by[t] = c
		total.add(c)
	}
	return total, by, nil
}

// ReportLine is the last line of `sppt blanks report` (CONTRACT.md).
func ReportLine(office string, c Count) string {
	return fmt.Sprintf("blanks: office=%s received=%d in_stock=%d assigned=%d printed=%d spoiled=%d issued=%d returned=%d unaccounted=%d",
		office, c.Received, c.Of(BlankInStock), c.Of(BlankAssigned), c.Of(BlankPrinted), c.Of(BlankSpoiled),
		c.Of(BlankIssued), c.Of(BlankReturned), c.Unaccounted)
}

// move changes one serial's state inside tx; the database checks the move
// and writes the history row.
func move(ctx context.Context, tx pgx.Tx, serial, to, applicationNo, passportNo, reason, actor string, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE blanks SET state = $2, application_no = NULLIF($3, ''), passport_no = NULLIF($4, ''),
		reason = NULLIF($5, ''), updated_at = $6, updated_by = $7 WHERE serial = $1`,
		serial, to, applicationNo, passportNo, reason, now, actor)
	return err
}

// Issue records the booklet of passport no handed to its holder (pickup):
// its blank printed → issued, inside the caller's transaction.
func Issue(ctx context.Context, tx pgx.Tx, passportNo, actor string, now time.Time) error {
	tag, err := tx.Exec(ctx, `UPDATE blanks SET state = 'issued', updated_at = $2, updated_by = $3
		WHERE passport_no = $1 AND state = 'printed'`, passportNo, now, actor)
	if err == nil && tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return err
}

// Return sends an office's in-stock serial back to the central warehouse.
func (l *Ledger) Return(ctx context.Context, office, serial, reason, actor string, now time.Time) error {
	return l.outOfVault(ctx, office, serial, BlankReturned, reason, actor, now)
}

// Spoil records an in-stock serial damaged in the vault, with its reason.
func (l *Ledger) Spoil(ctx context.Context, office, serial, reason, actor string, now time.Time) error {
	if reason == "" {
		return &BatchError{"reason", "a spoiled blank needs its reason"}
	}
	return l.outOfVault(ctx, office, serial, BlankSpoiled, reason, actor, now)
}

func (l *Ledger) outOfVault(ctx context.Context, office, serial, to, reason, actor string, now time.Time) error {
	return pgx.BeginFunc(ctx, l.Pool, func(tx pgx.Tx) error {
		var state string
		err := tx.QueryRow(ctx, `SELECT state FROM blanks WHERE serial = $1 AND office = $2 FOR UPDATE`, serial, office).Scan(&state)
		if errors.Is(err, pgx.ErrNoRows) {
			return &BatchError{"serial", "no such serial at this office"}
		}
		if err != nil {
			return err
		}
		if state != BlankInStock {
			return &BatchError{"serial", "the serial is " + state + ", not in stock"}
		}
		if err := move(ctx, tx, serial, to, "", "", reason, actor, now); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "blanks." + to,
			Subject: "blank:" + serial, Data: map[string]any{"reason": reason}}); err != nil {
			return err
		}
		var typ string
		if err := tx.QueryRow(ctx, `SELECT book_type FROM blanks WHERE serial = $1`, serial).Scan(&typ); err != nil {
			return err
		}
		return alertLow(ctx, tx, office, typ, actor, now)
	})
}
