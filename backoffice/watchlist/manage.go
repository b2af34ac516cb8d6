package watchlist

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/idn"
)

// ErrNotFound is an entry id that does not exist.
var ErrNotFound = errors.New("watchlist: no such entry")

// Listed is an entry as the page shows it, with its lifting.
type Listed struct {
	Entry
	LiftedAt   time.Time
	LiftedBy   string
	LiftReason string
}

// State is the entry's standing on day: in_force, lifted, expired, pending.
func (e Listed) State(day time.Time) string {
	d := dateOnly(day)
	switch {
	case !e.LiftedAt.IsZero():
		return "lifted"
	case !e.ValidTo.IsZero() && dateOnly(e.ValidTo) < d:
		return "expired"
	case dateOnly(e.ValidFrom) > d:
		return "pending"
	}
	return "in_force"
}

const listedColumns = `id, coalesce(nik, ''), full_name, name_key, birth_date, kind, reason, authority, valid_from, valid_to,
	lifted_at, coalesce(lifted_by, ''), coalesce(lift_reason, '') FROM watchlist_entries`

func scanListed(row pgx.CollectableRow) (Listed, error) {
	var e Listed
	var birth, to, lifted *time.Time
	err := row.Scan(&e.ID, &e.NIK, &e.FullName, &e.NameKey, &birth, &e.Kind, &e.Reason, &e.Authority, &e.ValidFrom, &to,
		&lifted, &e.LiftedBy, &e.LiftReason)
	if birth != nil {
		e.BirthDate, e.HasBirth = *birth, true
	}
	if to != nil {
		e.ValidTo = *to
	}
	if lifted != nil {
		e.LiftedAt = *lifted
	}
	return e, err
}

// read runs fn in a read-only transaction of the list's database.
func (l *List) read(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := l.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	return fn(tx)
}

// SearchLimit bounds one search answer.
const SearchLimit = 100

// Search finds entries by a 16-digit NIK, or by the start of the normalised
// name (idn.WatchlistKey: spellings and titles as the check treats them), or
// an authority code; "" lists the latest entries. Newest first.
func (l *List) Search(ctx context.Context, q string) ([]Listed, error) {
	q = strings.TrimSpace(q)
	where, arg := `true`, any(nil)
	switch {
	case len(q) == 16 && strings.Trim(q, "0123456789") == "":
		where, arg = `nik = $1`, q
	case authorityRe.MatchString(q) && strings.ToUpper(q) == q:
		where, arg = `(authority = $1 OR name_key LIKE lower($1) || '%')`, q
	case q != "":
		key := idn.WatchlistKey(q)
		if key == "" {
			return nil, nil
		}
		where, arg = `name_key LIKE $1 || '%'`, strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(key)
	}
	var out []Listed
	err := l.read(ctx, func(tx pgx.Tx) error {
		args := []any{SearchLimit}
		sql := `SELECT ` + listedColumns + ` WHERE ` + strings.ReplaceAll(where, "$1", "$2") + ` ORDER BY id DESC LIMIT $1`
		if arg != nil {
			args = append(args, arg)
		}
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scanListed)
		return err
	})
	return out, err
}

// Get is one entry.
func (l *List) Get(ctx context.Context, id int64) (Listed, error) {
	var e Listed
	err := l.read(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+listedColumns+` WHERE id = $1`, id)
		if err != nil {
			return err
		}
		e, err = pgx.CollectExactlyOneRow(rows, scanListed)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		return err
	})
	return e, err
}

// KeyExists: the form's entry is already listed for that authority.
const KeyExists = "watchlist.form.exists"

// Save adds (id 0) or changes entry id from a record in Columns order, as an
// import line would be validated; a refusal names the field. One audit entry
// on the network chain records the entry id (no name, no NIK).
func (l *List) Save(ctx context.Context, id int64, rec []string, actor string, now time.Time) (int64, *Refusal, error) {
	e, bad := parseRow(rec, 0, now.UTC().Truncate(24*time.Hour))
	if bad != nil {
		return 0, bad, nil
	}
	tx, err := l.db.Begin(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer tx.Rollback(ctx)
	args := []any{e.NIK, e.FullName, e.NameKey, nullDate(e.BirthDate, e.HasBirth), e.Kind, e.Reason, e.Authority,
		e.ValidFrom, nullDate(e.ValidTo, !e.ValidTo.IsZero()), now}
	action := "watchlist.add"
	if id == 0 {
		err = tx.QueryRow(ctx, upsertInsert+` RETURNING id`, args...).Scan(&id)
	} else {
		action = "watchlist.edit"
		err = tx.QueryRow(ctx, `UPDATE watchlist_entries SET nik = nullif($1, ''), full_name = $2, name_key = $3, birth_date = $4,
			kind = $5, reason = $6, authority = $7, valid_from = $8, valid_to = $9, updated_at = $10
			WHERE id = $11 AND lifted_at IS NULL RETURNING id`, append(args, id)...).Scan(&id)
	}
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe) && pe.Code == "23505":
		return 0, &Refusal{Field: "full_name", Key: KeyExists}, nil
	case errors.Is(err, pgx.ErrNoRows):
		return 0, nil, ErrNotFound
	case err != nil:
		return 0, nil, err
	}
	if err := audit.Append(ctx, tx, audit.Entry{Office: audit.Network, At: now, Actor: actor, Action: action,
		Subject: "watchlist_entry:" + strconv.FormatInt(id, 10), Data: map[string]any{"authority": e.Authority, "kind": e.Kind}}); err != nil {
		return 0, nil, err
	}
	return id, nil, tx.Commit(ctx)
}

// ErrLifted is an entry lifted already.
var ErrLifted = errors.New("watchlist: entry already lifted")

// Lift ends the entry's validity: it holds until the day before today (an
// entry that had not started yet never takes effect), with who, when and why.
func (l *List) Lift(ctx context.Context, id int64, reason, actor string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return &Refusal{Field: "lift_reason", Key: "watchlist.form.lift_reason_error"}
	}
	tx, err := l.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	last := dateOnly(now.UTC().AddDate(0, 0, -1))
	var lifted *time.Time
	err = tx.QueryRow(ctx, `UPDATE watchlist_entries w SET valid_to = $2::date, valid_from = least(w.valid_from, $2::date),
		lifted_at = $3, lifted_by = $4, lift_reason = $5, updated_at = $3
		FROM watchlist_entries old WHERE w.id = $1 AND old.id = w.id RETURNING old.lifted_at`, id, last, now, actor, reason).Scan(&lifted)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return ErrNotFound
	case err != nil:
		return err
	case lifted != nil:
		return ErrLifted
	}
	if err := audit.Append(ctx, tx, audit.Entry{Office: audit.Network, At: now, Actor: actor, Action: "watchlist.lift",
		Subject: "watchlist_entry:" + strconv.FormatInt(id, 10), Data: map[string]any{"valid_to": last}}); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func (r *Refusal) Error() string { return "watchlist: refused " + r.Field }
