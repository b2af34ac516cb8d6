package billing_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/billing"
)

func TestIssue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.issue("JKS-2026-000001")
	if !billing.ValidCode(b.BillingCode) || b.Status != "unpaid" || b.Amount != 950_000 || len(b.Lines) != 1 {
		t.Fatalf("bill = %+v", b)
	}
	if !b.ExpiresAt.Equal(start.Add(2 * time.Hour)) {
		t.Errorf("expires %v, want two hours after %v", b.ExpiresAt, start)
	}
	got := e.sms.of(billing.NoticeIssued)
	if len(got) != 1 || got[0].Params["code"] != b.BillingCode || got[0].Params["amount"] != "Rp950.000" ||
		got[0].Params["expires"] != b.ExpiresAt.Format(time.RFC3339) || got[0].Phone != "+6281234567890" {
		t.Fatalf("issued notices = %+v", got)
	}
	var audits int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'bill.issue'
		AND subject = 'application:JKS-2026-000001' AND actor = 'officer:1'`).Scan(&audits); err != nil || audits != 1 {
		t.Errorf("issue audit entries = %d (%v)", audits, err)
	}

	// Issuing again while unpaid gives back the same bill, no new SMS.
	var again billing.Bill
	err := pgx.BeginFunc(context.Background(), e.pool, func(tx pgx.Tx) error {
		var err error
		again, err = e.svc.Issue(context.Background(), tx, billing.Application{ApplicationNo: "JKS-2026-000001", Office: "JKS",
			Request: billing.Request{Service: "new", BirthDate: day("1990-10-20")}}, "officer:1")
		return err
	})
	if err != nil || again.BillingCode != b.BillingCode || again.Amount != b.Amount || len(e.sms.of(billing.NoticeIssued)) != 1 {
		t.Errorf("second issue = %+v, %v; %d notices", again, err, len(e.sms.of(billing.NoticeIssued)))
	}

	// BILL_VALIDITY changes the deadline; a bill is one per unpaid application.
	e.svc.Validity = 30 * time.Minute
	b2 := e.issue("JKS-2026-000002")
	if !b2.ExpiresAt.Equal(start.Add(30*time.Minute)) || b2.BillingCode == b.BillingCode {
		t.Errorf("second application's bill = %+v", b2)
	}
	_, err = e.pool.Exec(context.Background(), `INSERT INTO bills (billing_code, application_no, office, amount, lines, issued_at, expires_at)
		VALUES ('100000000000000', 'JKS-2026-000002', 'JKS', 1, '[]', $1, $2)`, start, start.Add(time.Hour))
	if err == nil {
		t.Error("a second unpaid bill for one application was accepted")
	}
}

// The fee day is the office's own: 23:30 WIB on the last day of a schedule
// is already the next day in Denpasar (WITA).
func TestIssueUsesOfficeDay(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.pool.Exec(ctx, `UPDATE fees SET effective_to = '2026-03-03' WHERE code = 'electronic_10y';
		INSERT INTO fees (code, description, amount_idr, effective_from) VALUES ('electronic_10y', 'Paspor elektronik 10 tahun', 1100000, '2026-03-03')`); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 3, 2, 23, 30, 0, 0, jakarta))
	amounts := map[string]int64{}
	for _, office := range []string{"JKS", "DPS"} {
		no := office + "-2026-000009"
		e.application(no, office)
		err := pgx.BeginFunc(ctx, e.pool, func(tx pgx.Tx) error {
			b, err := e.svc.Issue(ctx, tx, billing.Application{ApplicationNo: no, Office: office,
				Request: billing.Request{Service: "new", BirthDate: day("1990-10-20"), Electronic: true}}, "officer:1")
			amounts[office] = b.Amount
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if amounts["JKS"] != 950_000 || amounts["DPS"] != 1_100_000 {
		t.Errorf("amounts at 23:30 WIB = %v, want JKS 950000 (2 March) and DPS 1100000 (3 March WITA)", amounts)
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	b := e.issue("JKS-2026-000001")
	cancel := func() error {
		return pgx.BeginFunc(ctx, e.pool, func(tx pgx.Tx) error {
			return e.svc.Cancel(ctx, tx, "JKS-2026-000001", "officer:3", "on_hold")
		})
	}
	if err := cancel(); err != nil {
		t.Fatal(err)
	}
	if err := cancel(); err != nil { // nothing left to cancel
		t.Fatal(err)
	}
	if r := e.post(body(b.BillingCode, 950_000, "BNI-1", start), ""); r.status != 409 || decodeErr(t, r).Error.Code != "bill_cancelled" {
		t.Errorf("paying a cancelled bill: %d %s", r.status, r.body)
	}
	var n int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'bill.cancel'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("cancel audit entries %d %v", n, err)
	}
	if again, err := e.reissue("JKS-2026-000001"); err != nil || again.BillingCode == b.BillingCode {
		t.Errorf("re-billing after cancel: %+v %v", again, err)
	}
}
