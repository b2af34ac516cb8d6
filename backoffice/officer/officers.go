package officer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/db"
)

// Officer is a backoffice account.
type Officer struct {
	ID       int64    `json:"-"`
	Username string   `json:"username"`
	Office   string   `json:"office"`
	Region   string   `json:"region,omitempty"`
	Roles    []string `json:"roles"`
	// MustChange: signed in with a temporary password, to be replaced first.
	MustChange bool `json:"must_change_password,omitempty"`
}

// NewOfficer is the input of AddOfficer.
type NewOfficer struct {
	Username, Password, Office, Region string
	Roles                              []string
	// MustChange: the password is a temporary one (given by an admin), to
	// be replaced at the first sign-in.
	MustChange bool
}

// Validation errors of AddOfficer, each naming what to fix.
var (
	ErrUnknownRole    = errors.New("unknown role")
	ErrUsernameTaken  = errors.New("username already exists")
	ErrOfficeOrRegion = errors.New("an officer needs --office, or --region for regional_head (national_admin takes neither)")
	ErrScopeAlone     = errors.New("regional_head and national_admin are held alone, without an office role")
)

// checkScope is the table's scope rule with a message: an office role needs
// an office, regional_head a region, national_admin neither; a scope role
// is held alone.
func checkScope(office, region string, roles []string) error {
	scoped := 0
	for _, r := range auth.ScopeRoles {
		if slices.Contains(roles, r) {
			scoped++
		}
	}
	if scoped > 0 && len(roles) > 1 {
		return ErrScopeAlone
	}
	switch {
	case slices.Contains(roles, "national_admin"):
		if office != "" || region != "" {
			return ErrOfficeOrRegion
		}
	case slices.Contains(roles, "regional_head"):
		if office != "" || region == "" {
			return ErrOfficeOrRegion
		}
	case office == "" || region != "":
		return ErrOfficeOrRegion
	}
	return nil
}

// AddOfficer creates an officer with an argon2id password hash and audits it.
func AddOfficer(ctx context.Context, pool *pgxpool.Pool, n NewOfficer, actor string, now time.Time) (Officer, error) {
	for _, r := range n.Roles {
		if !slices.Contains(auth.Roles, r) {
			return Officer{}, fmt.Errorf("%w %q (known: %v)", ErrUnknownRole, r, auth.Roles)
		}
	}
	if err := checkScope(n.Office, n.Region, n.Roles); err != nil {
		return Officer{}, err
	}
	if err := auth.CheckPolicy(n.Password, n.Username); err != nil {
		return Officer{}, fmt.Errorf("password: %w", err)
	}
	hash, err := auth.HashPassword(n.Password)
	if err != nil {
		return Officer{}, err
	}
	o := Officer{Username: n.Username, Office: n.Office, Region: n.Region, Roles: n.Roles}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO officers (username, password_hash, office, region, roles, created_at, must_change_password)
			VALUES ($1, $2, NULLIF($3, ''), NULLIF($4, ''), $5, $6, $7) RETURNING id`,
			n.Username, hash, n.Office, n.Region, n.Roles, now, n.MustChange).Scan(&o.ID)
		if db.IsUnique(err, "") {
			return ErrUsernameTaken
		}
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: n.Office, At: now, Actor: actor, Action: "officer.create",
			Subject: "officer:" + strconv.FormatInt(o.ID, 10), Data: map[string]any{"username": n.Username, "roles": n.Roles}})
	})
	return o, err
}

// ErrBadCredentials is a wrong username or password (never saying which).
var ErrBadCredentials = errors.New("invalid credentials")

// Authenticate checks a username and password.
func Authenticate(ctx context.Context, pool *pgxpool.Pool, username, password string) (Officer, error) {
	var o Officer
	var hash string
	var office, region *string
	err := pool.QueryRow(ctx, `SELECT id, username, office, region, roles, password_hash, must_change_password FROM officers
		WHERE username = $1 AND disabled_at IS NULL`, username).Scan(&o.ID, &o.Username, &office, &region, &o.Roles, &hash, &o.MustChange)
	if errors.Is(err, pgx.ErrNoRows) {
		auth.DummyCheck(password)
		return o, ErrBadCredentials
	}
	if err != nil {
		return o, err
	}
	if !auth.CheckPassword(hash, password) {
		return o, ErrBadCredentials
	}
	if office != nil {
		o.Office = *office
	}
	if region != nil {
		o.Region = *region
	}
	return o, nil
}
