package auth

import (
	"context"
	"time"

	"github.com/sppt/sppt/internal/throttle"
)

// Throttle limits failed officer logins, as NIST SP 800-63B §5.2.2 asks:
// per username and client address, so failures from elsewhere never lock the
// owner out of their own address; a much higher ceiling per username across
// all addresses against guessing spread over many; and one per address
// against a single address trying many usernames. The counts are
// internal/throttle's, shared by every instance and exact under concurrency.
type Throttle struct {
	PerUserAddress throttle.Rule
	PerUser        throttle.Rule
	PerAddress     throttle.Rule
}

var DefaultThrottle = Throttle{
	PerUserAddress: throttle.Rule{Name: "login.user_address", Limit: 5, Window: 15 * time.Minute},
	PerUser:        throttle.Rule{Name: "login.user", Limit: 100, Window: 24 * time.Hour},
	PerAddress:     throttle.Rule{Name: "login.address", Limit: 30, Window: 15 * time.Minute},
}

// Take counts a login attempt of username from client (httpx.ClientKey)
// before its password is checked; a *throttle.Refused when any limit is
// full. The caller returns the slots when the password was right, so only
// failures (and attempts still in flight) count.
func (t Throttle) Take(ctx context.Context, db throttle.DB, username, client string, now time.Time) (throttle.Slots, error) {
	return throttle.Take(ctx, db, now, t.PerUserAddress.For(username+"|"+client), t.PerUser.For(username),
		t.PerAddress.For(client))
}
