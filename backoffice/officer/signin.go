package officer

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/auth"
)

// ErrThrottled is a login refused because of too many recent failures.
var ErrThrottled = errors.New("login throttled")

// signIn is the one login procedure behind the API and the login page:
// throttle check, password check, the attempt recorded, a token minted.
// On ErrThrottled the returned time is when to try again.
func signIn(ctx context.Context, pool *pgxpool.Pool, tokens *auth.Tokens, throttle auth.Throttle,
	username, password, ip string, now time.Time) (loginResponse, time.Time, error) {
	ok, retry, err := throttle.Allowed(ctx, pool, username, ip, now)
	if err != nil {
		return loginResponse{}, time.Time{}, err
	}
	if !ok {
		return loginResponse{}, retry, ErrThrottled
	}
	o, err := Authenticate(ctx, pool, username, password)
	if errors.Is(err, ErrBadCredentials) {
		_ = throttle.Record(ctx, pool, username, ip, false, now)
		return loginResponse{}, time.Time{}, err
	}
	if err != nil {
		return loginResponse{}, time.Time{}, err
	}
	_ = throttle.Record(ctx, pool, username, ip, true, now)
	tok, exp, err := mintFor(tokens, o)
	return loginResponse{Token: tok, ExpiresAt: exp, Officer: o}, time.Time{}, err
}

// ChangeTokenTTL is how long a token that only opens the password change lasts.
const ChangeTokenTTL = 15 * time.Minute

// mintFor signs o's token: a shift's, or after a password reset a short
// one that opens only the page replacing the password.
func mintFor(tokens *auth.Tokens, o Officer) (string, time.Time, error) {
	ttl := OfficerTokenTTL
	if o.MustChange {
		ttl = ChangeTokenTTL
	}
	return tokens.Mint(auth.Officer, strconv.FormatInt(o.ID, 10), ttl,
		auth.Claims{Office: o.Office, Region: o.Region, Roles: o.Roles, Name: o.Username, MustChange: o.MustChange})
}
