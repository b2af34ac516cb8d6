package app_test

import (
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
)

// Issue 14, finding 11: every process of a deployment started with the same
// SPPT_NOW reads one timeline. Before, each began at that instant when it
// started, so a process started 400 ms after another ran 400 ms behind it:
// `quota set` then `broadcast quota` could see the day released "later"
// than the broadcast's now.
func TestProcessesShareOneSPPTNowTimeline(t *testing.T) {
	t.Parallel()
	db := apptest.DB(t)
	const now = "2026-03-02T08:00:00+07:00"
	first := apptest.Start(t, db, apptest.Options{Configure: func(c *config.Config) { c.Now = now; c.ClockRate = 1 }})
	time.Sleep(400 * time.Millisecond)
	later := apptest.Start(t, db, apptest.Options{Configure: func(c *config.Config) { c.Now = now; c.ClockRate = 1 }})
	a, b := first.App.Clock.Now(), later.App.Clock.Now()
	if d := b.Sub(a); d < -5*time.Millisecond || d > 50*time.Millisecond {
		t.Fatalf("the later process reads %v against the first's %v (%v apart); want one timeline", b, a, d)
	}
	if start, _ := time.Parse(time.RFC3339, now); b.Sub(start) < 400*time.Millisecond {
		t.Fatalf("the later process restarted the timeline at %v", b)
	}
	// A new SPPT_NOW is a new timeline for the deployment.
	moved := apptest.Start(t, db, apptest.Options{Configure: func(c *config.Config) { c.Now = "2026-03-09T08:00:00+07:00" }})
	if got := moved.App.Clock.Now(); got.Before(time.Date(2026, 3, 9, 1, 0, 0, 0, time.UTC)) || got.After(time.Date(2026, 3, 9, 1, 0, 5, 0, time.UTC)) {
		t.Fatalf("a new SPPT_NOW reads %v", got)
	}
}

// SPPT_CLOCK_RATE runs the shared timeline faster (simulations, demos).
func TestClockRateSpeedsTheTimeline(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Configure: func(c *config.Config) {
		c.Now, c.ClockRate = "2026-03-02T08:00:00+07:00", 60
	}})
	a := in.App.Clock.Now()
	time.Sleep(200 * time.Millisecond)
	if d := in.App.Clock.Now().Sub(a); d < 12*time.Second || d > 30*time.Second {
		t.Fatalf("200 ms at 60× moved the clock %v, want about 12 s", d)
	}
	if r := clock.RateOf(in.App.Clock); r != 60 {
		t.Fatalf("rate %v", r)
	}
}

// Finding 11's second half: a citizen signs in on one instance and is at
// once sent to another whose clock is 1.2 s behind (hosts drift, and iat is whole seconds): the
// token's iat lies in the second's future. Before, that was a 401.
func TestTokenHoldsAcrossInstancesWhoseClocksDrift(t *testing.T) {
	t.Parallel()
	db := apptest.DB(t)
	at := apptest.Opening
	ahead := apptest.Start(t, db, apptest.Options{Clock: clock.NewFake(at.Add(1200 * time.Millisecond))})
	behind := apptest.Start(t, db, apptest.Options{Clock: clock.NewFake(at)})
	tok, _, err := ahead.App.Tokens.MintCitizen("+6281234500011")
	if err != nil {
		t.Fatal(err)
	}
	if r := behind.Do(t, "GET", "/api/v1/bookings", tok, nil); r.Status != 200 {
		t.Fatalf("the other instance refused a token minted 1.2 s ahead: %d %s", r.Status, r.Body)
	}
	far := apptest.Start(t, db, apptest.Options{Clock: clock.NewFake(at.Add(-time.Minute))})
	if r := far.Do(t, "GET", "/api/v1/bookings", tok, nil); r.Status != 401 {
		t.Fatalf("a token minted a minute in the future was accepted: %d", r.Status)
	}
}
