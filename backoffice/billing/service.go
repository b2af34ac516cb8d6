// Package billing is the payment step of the One Stop Service pipeline: the
// fee schedule and rule, bills with their 15-digit billing codes, the bank's
// signed payment callback, the cashier's confirmation and the expiry of
// unpaid bills. It owns the tables fees, bills and payment_callbacks.
//
// An application reaches billing only after adjudication approves it, so a
// rejected applicant never pays. What billing needs from the rest of the
// pipeline is declared here as small interfaces (Stages, Notifier) that the
// wiring fills in.
package billing

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
)

// Stages moves the application on when its bill closes, inside billing's
// transaction, so a bill and its application's stage never disagree.
type Stages interface {
	// Paid moves the application from billing to printing.
	Paid(ctx context.Context, tx pgx.Tx, applicationNo, actor string) error
	// Expired tells the stage machine the bill lapsed unpaid; it decides
	// where the application goes.
	Expired(ctx context.Context, tx pgx.Tx, applicationNo string) error
}

// Notifier enqueues a message to the applicant inside the caller's
// transaction (sms.Service.Notify fits it with a field-for-field copy).
type Notifier interface {
	Notify(ctx context.Context, tx pgx.Tx, n Notice) error
}

// Notice kinds billing sends; their words are sms.notice.<kind> in the
// locale files.
const (
	NoticeIssued  = "bill_issued"  // code, amount, expires
	NoticePaid    = "bill_paid"    // code, amount, appno
	NoticeExpired = "bill_expired" // code, appno
)

// Notice is one message: Key makes it once per event.
type Notice struct {
	Kind   string
	Phone  string // E.164
	Office string
	Key    string
	Params map[string]string
}

// DefaultValidity is how long a bill may be paid (M-Paspor's 2 hours).
const DefaultValidity = 2 * time.Hour

// Service is the billing step.
type Service struct {
	Pool     *pgxpool.Pool
	Clock    clock.Clock
	Stages   Stages
	Notifier Notifier
	Log      *slog.Logger
	Tokens   *auth.Tokens  // officer tokens for the cashier API; nil leaves it unmounted
	Secret   []byte        // BANK_CALLBACK_SECRET; empty refuses every callback
	Validity time.Duration // BILL_VALIDITY; zero means DefaultValidity
}

func (s *Service) validity() time.Duration {
	if s.Validity > 0 {
		return s.Validity
	}
	return DefaultValidity
}

// Bill statuses.
const (
	StatusUnpaid    = "unpaid"
	StatusPaid      = "paid"
	StatusExpired   = "expired"
	StatusCancelled = "cancelled"
)

// Bill is one bill as stored.
type Bill struct {
	BillingCode   string     `json:"billing_code"`
	ApplicationNo string     `json:"application_no"`
	Office        string     `json:"office"`
	Amount        int64      `json:"amount"`
	Lines         []Line     `json:"lines"`
	Status        string     `json:"status"`
	IssuedAt      time.Time  `json:"issued_at"`
	ExpiresAt     time.Time  `json:"expires_at"`
	PaidAt        *time.Time `json:"paid_at,omitempty"`
	PaidVia       string     `json:"paid_via,omitempty"`
	phone         string
}

const billColumns = `billing_code, application_no, office, amount, lines, status, issued_at, expires_at, paid_at,
	coalesce(paid_via, ''), coalesce(phone, '')`

func scanBill(row pgx.Row) (Bill, error) {
	var b Bill
	err := row.Scan(&b.BillingCode, &b.ApplicationNo, &b.Office, &b.Amount, &b.Lines, &b.Status, &b.IssuedAt,
		&b.ExpiresAt, &b.PaidAt, &b.PaidVia, &b.phone)
	return b, err
}

// notify sends n when the bill has a phone; a walk-in without one is told at the desk.
func (s *Service) notify(ctx context.Context, tx pgx.Tx, b Bill, kind string, params map[string]string) error {
	if b.phone == "" || s.Notifier == nil {
		return nil
	}
	params["code"] = b.BillingCode
	return s.Notifier.Notify(ctx, tx, Notice{Kind: kind, Phone: b.phone, Office: b.Office,
		Key: kind + ":" + b.BillingCode, Params: params})
}
