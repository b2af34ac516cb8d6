// Package devices is the registry of kiosks, displays, booth screens,
// biometric stations and printers, their enrolment tokens, and the
// device-facing HTTP endpoints.
package devices

import (
	"context"
	"crypto/sha256"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/internal/httpx"
)

// Kinds of device.
var Kinds = []string{"kiosk", "display", "booth", "biometric", "printer"}

// TokenTTL is long: a device is enrolled once; revocation is the off switch.
const TokenTTL = 5 * 365 * 24 * time.Hour

// Registry enrols and checks devices.
type Registry struct {
	Pool   *pgxpool.Pool
	Tokens *auth.Tokens
	Clock  clock.Clock
}

var (
	ErrUnknownKind = errors.New("unknown device kind (kiosk, display, booth, biometric, printer)")
	ErrNameTaken   = errors.New("a device with this name already exists in the office")
)

// Add enrols a device and returns its token. The token is shown once: only
// its SHA-256 is stored.
func (r *Registry) Add(ctx context.Context, office, kind, name, actor string, now time.Time) (id uuid.UUID, token string, err error) {
	if !slices.Contains(Kinds, kind) {
		return id, "", ErrUnknownKind
	}
	id = uuid.New()
	token, _, err = r.Tokens.Mint(auth.Device, id.String(), TokenTTL, auth.Claims{Office: office, Kind: kind, Name: name})
	if err != nil {
		return id, "", err
	}
	hash := sha256.Sum256([]byte(token))
	err = pgx.BeginFunc(ctx, r.Pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO devices (id, office, kind, name, token_hash, created_at, enrolled_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
			id, office, kind, name, hash[:], now)
		if db.IsUnique(err, "") {
			return ErrNameTaken
		}
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "device.enrol",
			Subject: "device:" + id.String(), Data: map[string]string{"kind": kind, "name": name}})
	})
	return id, token, err
}

// Revoke switches a device's token off for good.
func (r *Registry) Revoke(ctx context.Context, office string, id uuid.UUID, actor string, now time.Time) error {
	return pgx.BeginFunc(ctx, r.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE devices SET revoked_at = $3 WHERE id = $1 AND office = $2 AND revoked_at IS NULL`, id, office, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return httpx.ErrNotFound
		}
		return audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "device.revoke", Subject: "device:" + id.String(), Data: map[string]string{}})
	})
}

// Require accepts a device token of one of kinds whose device is enrolled
// and not revoked, and records that the device was seen.
func (r *Registry) Require(kinds ...string) any {
	return auth.Require(r.Tokens, auth.Device, func(ctx context.Context, c *auth.Claims) error {
		return r.seen(ctx, c, kinds)
	})
}

// Check is Require for a token that came another way (the kiosk page's
// cookie): it returns the device's claims or an *httpx.Error.
func (r *Registry) Check(ctx context.Context, token string, kinds ...string) (*auth.Claims, error) {
	c, err := r.Tokens.Parse(token, auth.Device)
	if err != nil {
		return nil, httpx.ErrUnauthorized
	}
	return c, r.seen(ctx, c, kinds)
}

// seen refuses a device of another kind (403) or one that is unknown or
// revoked (401), and stamps last_seen_at.
func (r *Registry) seen(ctx context.Context, c *auth.Claims, kinds []string) error {
	if len(kinds) > 0 && !slices.Contains(kinds, c.Kind) {
		return httpx.ErrForbidden
	}
	var ok bool
	err := r.Pool.QueryRow(ctx, `UPDATE devices SET last_seen_at = $4 WHERE id = $1 AND office = $2 AND kind = $3
		AND revoked_at IS NULL AND enrolled_at IS NOT NULL RETURNING true`, c.Subject, c.Office, c.Kind, r.Clock.Now()).Scan(&ok)
	if errors.Is(err, pgx.ErrNoRows) {
		return httpx.ErrUnauthorized
	}
	return err
}
