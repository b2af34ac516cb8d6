package auth_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/testdb"
	"github.com/sppt/sppt/internal/throttle"
)

// The per-username ceiling stops guessing spread over many addresses, while
// each address alone stays under its own limit; other usernames are untouched.
func TestLoginThrottleCeilingPerUsername(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Pool(t, testdb.Seed{Name: "auth-throttle"})
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	limits := auth.DefaultThrottle
	limits.PerUser.Limit = 8
	for i := 0; i < 4; i++ { // two failures from each of four addresses
		for j := 0; j < 2; j++ {
			if _, err := limits.Take(ctx, pool, "jks.budi", fmt.Sprintf("203.0.113.%d", i), now); err != nil {
				t.Fatalf("address %d try %d: %v", i, j, err)
			}
		}
	}
	var refused *throttle.Refused
	_, err := limits.Take(ctx, pool, "jks.budi", "198.51.100.9", now.Add(time.Hour))
	if !errors.As(err, &refused) || refused.Rule != "login.user" || !refused.RetryAt.Equal(now.Add(24*time.Hour)) {
		t.Fatalf("ninth failure from a fresh address: %v", err)
	}
	if _, err := limits.Take(ctx, pool, "jks.sari", "203.0.113.0", now); err != nil {
		t.Fatalf("another username from an address with two failures: %v", err)
	}
}
