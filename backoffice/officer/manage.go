package officer

// What an admin does to an office's officers. Every change names the
// office: an officer of another office is ErrNoOfficer, as if absent.

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/auth"
)

// ErrNoOfficer: no such officer in the office.
var ErrNoOfficer = errors.New("no such officer in the office")

// ErrSelf: an admin cannot disable their own account or drop their own admin role.
var ErrSelf = errors.New("not on your own account")

// OfficeRoles are the roles an admin assigns within an office.
func OfficeRoles() []string {
	return slices.DeleteFunc(slices.Clone(auth.Roles), func(r string) bool { return slices.Contains(auth.ScopeRoles, r) })
}

// change runs fn on the office's officer username in a transaction, locked,
// and audits action with data.
func change(ctx context.Context, pool *pgxpool.Pool, office, username, actor, action string, now time.Time,
	fn func(tx pgx.Tx, id int64) (map[string]any, error)) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM officers WHERE office = $1 AND username = $2 FOR UPDATE`, office, username).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoOfficer
		}
		if err != nil {
			return err
		}
		data, err := fn(tx, id)
		if err != nil {
			return err
		}
		data["username"] = username
		return audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: action,
			Subject: "officer:" + strconv.FormatInt(id, 10), Data: data})
	})
}

// endSessions refuses every token of officer id issued before cut.
func endSessions(ctx context.Context, tx pgx.Tx, id int64, cut time.Time) error {
	return auth.Revoke(ctx, tx, auth.SubjectKey(auth.Officer, strconv.FormatInt(id, 10)), cut, cut.Add(OfficerTokenTTL+time.Minute))
}

// SetRoles replaces an officer's roles with office roles.
func SetRoles(ctx context.Context, pool *pgxpool.Pool, office, username string, roles []string, actor string, actorID int64, now time.Time) error {
	if len(roles) == 0 {
		return fmt.Errorf("%w: none", ErrUnknownRole)
	}
	for _, r := range roles {
		if !slices.Contains(OfficeRoles(), r) {
			return fmt.Errorf("%w %q", ErrUnknownRole, r)
		}
	}
	return change(ctx, pool, office, username, actor, "officer.roles", now, func(tx pgx.Tx, id int64) (map[string]any, error) {
		if id == actorID && !slices.Contains(roles, "admin") {
			return nil, ErrSelf
		}
		if _, err := tx.Exec(ctx, `UPDATE officers SET roles = $2 WHERE id = $1`, id, roles); err != nil {
			return nil, err
		}
		// The roles sit in the tokens: the officer signs in again to get the new ones.
		return map[string]any{"roles": roles}, endSessions(ctx, tx, id, now)
	})
}

// Disable stops an officer signing in and ends their sessions on every
// instance (within auth.DefaultRefresh at worst).
func Disable(ctx context.Context, pool *pgxpool.Pool, office, username, actor string, actorID int64, now time.Time) error {
	return change(ctx, pool, office, username, actor, "officer.disable", now, func(tx pgx.Tx, id int64) (map[string]any, error) {
		if id == actorID {
			return nil, ErrSelf
		}
		if _, err := tx.Exec(ctx, `UPDATE officers SET disabled_at = coalesce(disabled_at, $2) WHERE id = $1`, id, now); err != nil {
			return nil, err
		}
		// A millisecond on: a token issued at this very instant ends too (no
		// new one can be: the account is disabled now).
		return map[string]any{}, endSessions(ctx, tx, id, now.Add(time.Millisecond))
	})
}

// Enable lets a disabled officer sign in again.
func Enable(ctx context.Context, pool *pgxpool.Pool, office, username, actor string, now time.Time) error {
	return change(ctx, pool, office, username, actor, "officer.enable", now, func(tx pgx.Tx, id int64) (map[string]any, error) {
		_, err := tx.Exec(ctx, `UPDATE officers SET disabled_at = NULL WHERE id = $1`, id)
		return map[string]any{}, err
	})
}

// ResetPassword gives an officer a new temporary password (returned, shown
// once), to be replaced at the next sign-in; their sessions end.
func ResetPassword(ctx context.Context, pool *pgxpool.Pool, office, username, actor string, now time.Time) (string, error) {
	temp := tempFor(username)
	hash, err := auth.HashPassword(temp)
	if err != nil {
		return "", err
	}
	err = change(ctx, pool, office, username, actor, "officer.password_reset", now, func(tx pgx.Tx, id int64) (map[string]any, error) {
		if _, err := tx.Exec(ctx, `UPDATE officers SET password_hash = $2, must_change_password = true WHERE id = $1`, id, hash); err != nil {
			return nil, err
		}
		return map[string]any{}, endSessions(ctx, tx, id, now)
	})
	return temp, err
}

// ChangePassword sets an officer's own new password and clears the reset
// mark; the token used for it (jti) stops working.
func ChangePassword(ctx context.Context, pool *pgxpool.Pool, id int64, username, password string, used *auth.Claims, now time.Time) (Officer, error) {
	if err := auth.CheckPolicy(password, username); err != nil {
		return Officer{}, err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return Officer{}, err
	}
	var o Officer
	var office, region *string
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE officers SET password_hash = $2, must_change_password = false
			WHERE id = $1 AND disabled_at IS NULL RETURNING id, username, office, region, roles`, id, hash).
			Scan(&o.ID, &o.Username, &office, &region, &o.Roles)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoOfficer
		}
		if err != nil {
			return err
		}
		if used != nil && used.ID != "" && used.ExpiresAt != nil {
			if err := auth.Revoke(ctx, tx, auth.TokenKey(used.ID), used.ExpiresAt.Time, used.ExpiresAt.Time); err != nil {
				return err
			}
		}
		return audit.Append(ctx, tx, audit.Entry{Office: deref(office), At: now, Actor: "officer:" + strconv.FormatInt(id, 10),
			Action: "officer.password_change", Subject: "officer:" + strconv.FormatInt(id, 10), Data: map[string]any{}})
	})
	o.Office, o.Region = deref(office), deref(region)
	return o, err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// tempAlphabet has no look-alikes (0/o, 1/l/i).
const tempAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// TempPassword is a temporary password read out or written down: three
// groups of four (about 74 bits), e.g. "k7pq-x2mf-9tzr".
func TempPassword() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	out := make([]byte, 0, 14)
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			out = append(out, '-')
		}
		out = append(out, tempAlphabet[int(x)%len(tempAlphabet)])
	}
	return string(out)
}

// tempFor is a temporary password the policy accepts for username (one
// that happens to contain the username is drawn again).
func tempFor(username string) string {
	for {
		if t := TempPassword(); auth.CheckPolicy(t, username) == nil {
			return t
		}
	}
}

// Listed is one officer as the list shows them.
type Listed struct {
	Username   string
	Roles      []string
	Disabled   bool
	MustChange bool
}

// ListOffice is an office's officers by username.
func ListOffice(ctx context.Context, pool *pgxpool.Pool, office string) ([]Listed, error) {
	rows, err := pool.Query(ctx, `SELECT username, roles, disabled_at IS NOT NULL, must_change_password FROM officers
		WHERE office = $1 ORDER BY username`, office)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Listed, error) {
		var l Listed
		err := r.Scan(&l.Username, &l.Roles, &l.Disabled, &l.MustChange)
		return l, err
	})
}
