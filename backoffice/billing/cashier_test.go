package billing_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/internal/httpx"
)

func TestCashierPaid(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	b := e.issue("JKS-2026-000001")
	pay := billing.CashierPayment{BillingCode: b.BillingCode, Amount: 950_000, ReceiptNo: "KW/2026/0001", Officer: "officer:7", Office: "JKS"}

	code := func(err error) string {
		if e, ok := httpx.As(err); ok {
			return e.Code
		}
		return ""
	}
	other := pay
	other.Office = "DPS"
	if _, err := e.svc.CashierPaid(ctx, other); code(err) != "bill_not_found" {
		t.Errorf("another office's cashier: %v", err)
	}
	wrong := pay
	wrong.Amount = 900_000
	if _, err := e.svc.CashierPaid(ctx, wrong); code(err) != "amount_mismatch" {
		t.Errorf("wrong amount: %v", err)
	}
	typo := pay
	typo.BillingCode = b.BillingCode[:14] + string('0'+(b.BillingCode[14]-'0'+1)%10)
	if _, err := e.svc.CashierPaid(ctx, typo); err == nil {
		t.Error("a mistyped code was accepted")
	} else if he, _ := httpx.As(err); he.Fields["billing_code"].Key != "billing.field.billing_code_check" {
		t.Errorf("mistyped code: %v %+v", err, he.Fields)
	}
	noReceipt := pay
	noReceipt.ReceiptNo = " "
	if _, err := e.svc.CashierPaid(ctx, noReceipt); err == nil {
		t.Error("no receipt number accepted")
	}
	if s := e.state(b.BillingCode); s.status != "unpaid" || s.paid != 0 {
		t.Fatalf("refusals changed state: %+v", s)
	}

	got, err := e.svc.CashierPaid(ctx, pay)
	if err != nil || got.Status != "paid" || got.PaidVia != "cashier" {
		t.Fatalf("cashier payment: %+v %v", got, err)
	}
	// The same receipt again (a double click) is the same payment; another receipt is refused.
	if again, err := e.svc.CashierPaid(ctx, pay); err != nil || again.BillingCode != b.BillingCode {
		t.Errorf("same receipt again: %+v %v", again, err)
	}
	second := pay
	second.ReceiptNo = "KW/2026/0002"
	if _, err := e.svc.CashierPaid(ctx, second); code(err) != "bill_already_paid" {
		t.Errorf("second receipt: %v", err)
	}
	// And the bank, too late, is told it is paid.
	if r := e.post(body(b.BillingCode, 950_000, "BNI-9", start), ""); r.status != 409 {
		t.Errorf("bank after cashier: %d %s", r.status, r.body)
	}
	s := e.state(b.BillingCode)
	if s.stage != "printing" || s.paid != 1 || s.sms != 1 || s.audits != 1 {
		t.Errorf("after cashier payment: %+v", s)
	}
	if e.stages.paid[0] != "JKS-2026-000001 by officer:7" {
		t.Errorf("stage actor %q", e.stages.paid[0])
	}
	var officer, receipt string
	if err := e.pool.QueryRow(ctx, `SELECT cashier_officer, receipt_no FROM bills WHERE billing_code = $1`, b.BillingCode).Scan(&officer, &receipt); err != nil || officer != "officer:7" || receipt != "KW/2026/0001" {
		t.Errorf("stored %q %q %v", officer, receipt, err)
	}
}

func TestCashierAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.issue("JKS-2026-000001")
	get := "/api/v1/backoffice/bills/" + b.BillingCode
	pay := get + "/cashier-payment"
	good := `{"amount":950000,"receipt_no":"KW-1"}`
	if r := e.officer("GET", get, "JKS", "", "cashier"); r.status != 200 || !strings.Contains(r.body, `"status":"unpaid"`) {
		t.Errorf("GET bill: %d %s", r.status, r.body)
	}
	if r := e.officer("GET", get, "DPS", "", "cashier"); r.status != 404 {
		t.Errorf("another office's GET: %d", r.status)
	}
	if r := e.officer("POST", pay, "JKS", good, "desk"); r.status != 403 {
		t.Errorf("desk officer paying: %d", r.status)
	}
	if r := e.officer("POST", pay, "DPS", good, "cashier"); r.status != 404 {
		t.Errorf("another office's cashier: %d", r.status)
	}
	if r := e.officer("POST", pay, "JKS", `{"amount":"x"}`, "cashier"); r.status != 422 {
		t.Errorf("bad body: %d %s", r.status, r.body)
	}
	if r := e.officer("POST", pay, "JKS", good, "cashier"); r.status != 200 || !strings.Contains(r.body, `"paid_via":"cashier"`) {
		t.Errorf("pay: %d %s", r.status, r.body)
	}
	if s := e.state(b.BillingCode); s.stage != "printing" || s.paid != 1 {
		t.Errorf("after the cashier API: %+v", s)
	}
	req := httptest.NewRequest("GET", get, nil)
	if res, _ := e.app.Test(req); res.StatusCode != 401 {
		t.Errorf("no token: %d", res.StatusCode)
	}
}
