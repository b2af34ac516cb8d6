package app_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/throttle"
)

// fire sends n copies of one JSON POST at once from a client at localIP and
// counts the answers by status (no t.Fatal: it runs off the test goroutine).
func fire(t *testing.T, in *apptest.Instance, localIP, path string, n int, body func(i int) any) map[int]int {
	t.Helper()
	from := in.From(localIP)
	var mu sync.Mutex
	var wg sync.WaitGroup
	got := map[int]int{}
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		raw, _ := json.Marshal(body(i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status := from.Send("POST", path, raw)
			mu.Lock()
			got[status]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return got
}

// Issue 14, finding 3: failures from one address no longer lock the officer
// out everywhere. Before the fix the right password from another address got
// 429 for 15 minutes.
func TestLoginThrottleIsPerAddress(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	in.OfficerToken(t, "JKS", "jks.victim", "desk")
	attacker, owner := in.From("127.0.0.2"), in.From("127.0.0.3")
	wrong := map[string]string{"username": "jks.victim", "password": "nope-nope-nope"}
	for i := 0; i < 5; i++ {
		if r := attacker.Do(t, "POST", "/api/v1/backoffice/login", "", wrong); r.Status != 401 {
			t.Fatalf("wrong password %d: %d %s", i+1, r.Status, r.Body)
		}
	}
	if r := attacker.Do(t, "POST", "/api/v1/backoffice/login", "", wrong); r.Status != 429 || r.Header.Get("Retry-After") == "" {
		t.Fatalf("sixth wrong password from the same address: %d %s", r.Status, r.Body)
	}
	right := map[string]string{"username": "jks.victim", "password": "correct-horse-battery"}
	if r := owner.Do(t, "POST", "/api/v1/backoffice/login", "", right); r.Status != 200 {
		t.Fatalf("the owner from their own address: %d %s", r.Status, r.Body)
	}
	// The attacker's address stays throttled, right password or not.
	if r := attacker.Do(t, "POST", "/api/v1/backoffice/login", "", right); r.Status != 429 {
		t.Fatalf("right password from the throttled address: %d %s", r.Status, r.Body)
	}
}

// Issue 14, finding 4: fifteen wrong passwords at once are counted one by
// one; exactly five reach the password check. Before the fix all fifteen did.
func TestLoginThrottleUnderConcurrency(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	in.OfficerToken(t, "JKS", "jks.burst", "desk")
	got := fire(t, in, "127.0.0.4", "/api/v1/backoffice/login", 15, func(int) any {
		return map[string]string{"username": "jks.burst", "password": "nope-nope-nope"}
	})
	if got[401] != 5 || got[429] != 10 {
		t.Fatalf("15 wrong passwords at once: %v, want 5×401 and 10×429", got)
	}
}

// Ended counters are deleted by the hourly schedule (throttle.PruneSpec),
// on whichever instance claims the firing.
func TestThrottleCountersArePruned(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 1, 22, 59, 500_000_000, time.UTC) // half a second before the :23 firing
	ctx := context.Background()
	dbURL := apptest.DB(t)
	// The counters exist before the instance starts, so its first firing finds them.
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	ended := throttle.Rule{Name: "test.ended", Limit: 1, Window: time.Minute}
	open := throttle.Rule{Name: "test.open", Limit: 1, Window: time.Hour}
	for _, c := range []throttle.Counter{ended.For("a"), open.For("b")} {
		if _, err := throttle.Take(ctx, pool, at.Add(-30*time.Minute), c); err != nil {
			t.Fatal(err)
		}
	}
	pool.Close()
	in := apptest.Start(t, dbURL, apptest.Options{Clock: clock.NewFake(at)})
	deadline := time.Now().Add(10 * time.Second)
	for {
		var rules []string
		rows, err := in.Pool.Query(ctx, `SELECT rule FROM throttle_counters WHERE rule LIKE 'test.%' ORDER BY rule`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var r string
			_ = rows.Scan(&r)
			rules = append(rules, r)
		}
		if len(rules) == 1 && rules[0] == "test.open" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("counters left 10 s after the prune's firing: %v", rules)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
