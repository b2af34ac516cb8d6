package billing

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/httpx"
)

// CashierPayment is a bill paid at the office's cashier desk.
type CashierPayment struct {
	BillingCode string
	Amount      int64  // what the cashier received
	ReceiptNo   string // the receipt handed over
	Officer     string // actor, "officer:<id>"
	Office      string // the officer's office: another office's bill is not found
}

var receiptForm = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9./-]{0,63}$`)

// Check validates the cashier's input, naming each wrong field; a code whose
// check digit fails is a typo, said so before any lookup.
func (p CashierPayment) Check() error {
	e := httpx.Invalid()
	if !codeForm.MatchString(p.BillingCode) {
		e.Field("billing_code", "billing.field.billing_code")
	} else if !ValidCode(p.BillingCode) {
		e.Field("billing_code", "billing.field.billing_code_check")
	}
	if p.Amount < 0 || p.Amount > MaxAmount {
		e.Field("amount", "billing.field.amount")
	}
	if !receiptForm.MatchString(strings.TrimSpace(p.ReceiptNo)) {
		e.Field("receipt_no", "billing.field.receipt_no")
	}
	return e.OrNil()
}

// CashierPaid confirms a payment at the cashier: the same checks and effects
// as the bank's callback (paid, printing, audit, SMS) in one transaction.
// Sending the same receipt again returns the bill as paid, changing nothing.
func (s *Service) CashierPaid(ctx context.Context, p CashierPayment) (Bill, error) {
	if err := p.Check(); err != nil {
		return Bill{}, err
	}
	if p.Officer == "" || p.Office == "" {
		return Bill{}, errors.New("billing: cashier payment without officer or office")
	}
	p.ReceiptNo = strings.TrimSpace(p.ReceiptNo)
	var b Bill
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		b, err = s.pay(ctx, tx, payment{code: p.BillingCode, amount: p.Amount, paidAt: s.Clock.Now(), via: "cashier",
			receipt: p.ReceiptNo, actor: p.Officer, office: p.Office})
		var r *Refusal
		if errors.As(err, &r) && r.E.Code == "bill_already_paid" {
			b, err = s.sameReceipt(ctx, tx, p)
		}
		return err
	})
	return b, err
}

// sameReceipt is the bill when p repeats the cashier confirmation that paid it.
func (s *Service) sameReceipt(ctx context.Context, tx pgx.Tx, p CashierPayment) (Bill, error) {
	b, err := scanBill(tx.QueryRow(ctx, `SELECT `+billColumns+` FROM bills
		WHERE billing_code = $1 AND paid_via = 'cashier' AND receipt_no = $2`, p.BillingCode, p.ReceiptNo))
	if errors.Is(err, pgx.ErrNoRows) {
		return Bill{}, refuse(http.StatusConflict, "bill_already_paid")
	}
	return b, err
}
