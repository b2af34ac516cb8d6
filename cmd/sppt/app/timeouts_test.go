package app_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
)

// Issue 14, finding 7: one transaction holding the day's quota row made
// every walk-in wait behind it until the pool ran dry, and /readyz then
// said the database was down. Now a waiter gives up after the lock timeout
// with 503 database_busy and Retry-After (nothing changed: it may send
// again), and /readyz meanwhile tells "saturated" from "down". Before, the
// walk-ins waited for the lock (201 once it was released) and /readyz
// answered "unavailable".
func TestHeldLockGives503AndReadyzSaysSaturated(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 40, 2)
	kiosk := in.DeviceToken(t, "JKS", "kiosk", "Kiosk 1")
	ctx := context.Background()
	holder, err := pgx.Connect(ctx, in.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(ctx)
	tx, err := holder.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM quota_days WHERE office = 'JKS' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	// The lock is held until every walk-in has its answer, or 30 s (before
	// the fix they waited for it and were then served).
	answered, released := make(chan struct{}), make(chan struct{})
	go func() {
		select {
		case <-answered:
		case <-time.After(30 * time.Second):
		}
		_ = tx.Rollback(ctx)
		close(released)
	}()
	const walkins = 24 // more than the instance's pool holds
	answers := make([]apptest.Response, walkins)
	var wg sync.WaitGroup
	for i := range walkins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = in.Do(t, "POST", "/api/v1/kiosk/tickets", kiosk, map[string]string{"service": "new"})
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	r := in.Do(t, "GET", "/readyz", "", nil)
	var ready struct{ Status string }
	_ = json.Unmarshal(r.Body, &ready)
	wg.Wait()
	close(answered)
	<-released
	if r.Status != 503 || ready.Status != "saturated" || r.Header.Get("Retry-After") == "" {
		t.Errorf("/readyz while the pool waited on one lock: %d %s", r.Status, r.Body)
	}
	for i, a := range answers {
		var e struct{ Error struct{ Code string } }
		_ = json.Unmarshal(a.Body, &e)
		if a.Status != 503 || e.Error.Code != "database_busy" || a.Header.Get("Retry-After") == "" {
			t.Fatalf("walk-in %d behind the held lock: %d %s", i, a.Status, a.Body)
		}
	}
	if r := in.Do(t, "POST", "/api/v1/kiosk/tickets", kiosk, map[string]string{"service": "new"}); r.Status != 201 {
		t.Fatalf("after the lock was released: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "GET", "/readyz", "", nil); r.Status != 200 {
		t.Fatalf("/readyz after: %d %s", r.Status, r.Body)
	}
}
