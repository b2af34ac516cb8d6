package billing_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/internal/civil"
)

// Unpaid bills past their time expire once, however many sweeps run at
// once; paid and still-valid bills are left alone.
func TestExpireDue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	due1, due2 := e.issue("JKS-2026-000001"), e.issue("JKS-2026-000002")
	paid := e.issue("JKS-2026-000003")
	if r := e.post(body(paid.BillingCode, 950_000, "BNI-1", start), ""); r.status != 200 {
		t.Fatalf("pay: %d %s", r.status, r.body)
	}
	e.clock.Advance(time.Hour)
	fresh := e.issue("JKS-2026-000004") // expires an hour after the others

	e.clock.Set(start.Add(2*time.Hour - time.Second))
	if err := e.svc.ExpireDue(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, n := e.stages.counts(); n != 0 {
		t.Fatalf("%d expired a second early", n)
	}

	e.clock.Set(start.Add(2 * time.Hour))
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = e.svc.ExpireDue(ctx, e.clock.Now()) }()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.ExpireDue(ctx, e.clock.Now()); err != nil { // and once more: nothing left
		t.Fatal(err)
	}
	want := map[string]string{due1.BillingCode: "expired", due2.BillingCode: "expired", paid.BillingCode: "paid", fresh.BillingCode: "unpaid"}
	for code, st := range want {
		if s := e.state(code); s.status != st {
			t.Errorf("bill %s is %s, want %s", code, s.status, st)
		}
	}
	if _, n := e.stages.counts(); n != 2 {
		t.Errorf("Stages.Expired called %d times, want 2: %v", n, e.stages.expired)
	}
	notices := e.sms.of(billing.NoticeExpired)
	if len(notices) != 2 || notices[0].Params["code"] == "" || notices[0].Params["appno"] == "" {
		t.Errorf("expiry notices %+v", notices)
	}
	var audits int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'bill.expire'`).Scan(&audits); err != nil || audits != 2 {
		t.Errorf("expiry audit entries %d (%v)", audits, err)
	}

	// Billing itself bills an application again after expiry, with a new
	// code (whether it may be billed again is the stage machine's rule: an
	// expired bill cancels the application).
	e.svc.Validity = time.Hour
	if s := e.state(due1.BillingCode); s.stage != "cancelled" {
		t.Errorf("application of an expired bill is %s, want cancelled", s.stage)
	}
	again, err := e.reissue("JKS-2026-000001")
	if err != nil || again.BillingCode == due1.BillingCode || again.Status != "unpaid" {
		t.Errorf("re-billing after expiry: %+v (%v)", again, err)
	}
}

// A sweep that fails half way (the stage machine refuses) leaves every bill
// as it was, to be tried again next minute.
func TestExpireDueAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.issue("JKS-2026-000001")
	e.move("JKS-2026-000001", "JKS", civil.StageCancelled, "supervisor") // withdrawn, its bill (no hook here) left unpaid
	e.clock.Advance(3 * time.Hour)
	if err := e.svc.ExpireDue(context.Background(), e.clock.Now()); err == nil {
		t.Fatal("no error from a refused stage change")
	}
	if s := e.state(b.BillingCode); s.status != "unpaid" || len(e.sms.of(billing.NoticeExpired)) != 0 {
		t.Errorf("half-done sweep: %+v", s)
	}
}
