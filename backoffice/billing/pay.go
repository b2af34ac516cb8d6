package billing

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/httpx"
)

// payment is one confirmation of a bill, by the bank or at the cashier.
type payment struct {
	code      string
	amount    int64
	paidAt    time.Time
	via       string // bank | cashier
	reference string // the bank's
	receipt   string // the cashier's receipt number
	actor     string // "bank" or "officer:<id>"
	office    string // the cashier's office: another office's bill is not found
}

// Refusal is a payment turned away before anything changed: an unknown
// code, a wrong amount, a bill no longer payable. The bank is given it again
// when it resends the same reference.
type Refusal struct{ E *httpx.Error }

func (r *Refusal) Error() string { return r.E.Error() }

// Unwrap lets the HTTP error handler answer it as the *httpx.Error it holds.
func (r *Refusal) Unwrap() error { return r.E }

func refuse(status int, code string) *Refusal { return &Refusal{httpx.New(status, code)} }

// pay confirms p inside tx: the bill is locked, checked, marked paid; the
// application moves to printing; the audit entry and the "paid" SMS are
// written. A *Refusal is returned before any write.
func (s *Service) pay(ctx context.Context, tx pgx.Tx, p payment) (Bill, error) {
	b, err := scanBill(tx.QueryRow(ctx, `SELECT `+billColumns+` FROM bills WHERE billing_code = $1 FOR UPDATE`, p.code))
	if errors.Is(err, pgx.ErrNoRows) || err == nil && p.office != "" && b.Office != p.office {
		return Bill{}, refuse(http.StatusNotFound, "bill_not_found")
	}
	if err != nil {
		return Bill{}, err
	}
	switch b.Status {
	case StatusPaid:
		return Bill{}, refuse(http.StatusConflict, "bill_already_paid")
	case StatusExpired:
		return Bill{}, refuse(http.StatusConflict, "bill_expired")
	case StatusCancelled:
		return Bill{}, refuse(http.StatusConflict, "bill_cancelled")
	}
	if p.amount != b.Amount {
		r := refuse(http.StatusUnprocessableEntity, "amount_mismatch")
		r.E.Field("amount", "billing.field.amount_mismatch")
		return Bill{}, r
	}
	now := s.Clock.Now()
	b, err = scanBill(tx.QueryRow(ctx, `UPDATE bills SET status = 'paid', paid_at = $2, paid_via = $3,
			bank_reference = NULLIF($4, ''), cashier_officer = NULLIF($5, ''), receipt_no = NULLIF($6, ''), closed_at = $7
		WHERE billing_code = $1 AND status = 'unpaid' RETURNING `+billColumns,
		p.code, p.paidAt, p.via, p.reference, cashierOf(p), p.receipt, now))
	if err != nil {
		return Bill{}, err
	}
	if err := s.Stages.Paid(ctx, tx, b.ApplicationNo, p.actor); err != nil {
		return Bill{}, err
	}
	data := map[string]any{"billing_code": b.BillingCode, "amount": b.Amount, "via": p.via, "paid_at": p.paidAt}
	if p.reference != "" {
		data["reference"] = p.reference
	}
	if p.receipt != "" {
		data["receipt_no"] = p.receipt
	}
	if err := audit.Append(ctx, tx, audit.Entry{Office: b.Office, At: now, Actor: p.actor, Action: "bill.pay",
		Subject: "application:" + b.ApplicationNo, Data: data}); err != nil {
		return Bill{}, err
	}
	err = s.notify(ctx, tx, b, NoticePaid, map[string]string{"amount": Rupiah(b.Amount), "appno": b.ApplicationNo})
	return b, err
}

func cashierOf(p payment) string {
	if p.via == "cashier" {
		return p.actor
	}
	return ""
}
