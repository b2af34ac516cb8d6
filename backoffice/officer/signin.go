package officer

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/throttle"
)

// ErrThrottled is a login refused because of too many recent failures.
var ErrThrottled = errors.New("login throttled")

// signIn is the one login procedure behind the API and the login page: a
// slot of each login limit taken for client (httpx.ClientKey), the password
// checked, the slots given back when it was right, a token minted.
// On ErrThrottled the returned time is when to try again.
func signIn(ctx context.Context, pool *pgxpool.Pool, tokens *auth.Tokens, limits auth.Throttle,
	username, password, client string, now time.Time) (loginResponse, time.Time, error) {
	slots, err := limits.Take(ctx, pool, username, client, now)
	if refused, ok := errors.AsType[*throttle.Refused](err); ok {
		return loginResponse{}, refused.RetryAt, ErrThrottled
	}
	if err != nil {
		return loginResponse{}, time.Time{}, err
	}
	o, err := Authenticate(ctx, pool, username, password)
	if err != nil {
		return loginResponse{}, time.Time{}, err // a wrong password keeps its slots: it counts
	}
	if err := slots.Return(ctx, pool); err != nil {
		return loginResponse{}, time.Time{}, err
	}
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
