package billing

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
)

// Application is what a bill is issued for: the approved application and
// the facts its fee depends on (Request.Date is set by Issue).
type Application struct {
	ApplicationNo string
	Office        string
	Phone         string // E.164, or empty for a walk-in without a phone
	Request
}

// Issue bills an approved application inside the caller's transaction (the
// one that moves it to billing): the fee from the schedule in force on the
// office's today, a fresh billing code, and the SMS telling the applicant
// the code, the amount and the deadline. An application that already has an
// unpaid bill gets that bill back, unchanged.
func (s *Service) Issue(ctx context.Context, tx pgx.Tx, a Application, actor string) (Bill, error) {
	b, err := scanBill(tx.QueryRow(ctx, `SELECT `+billColumns+` FROM bills
		WHERE application_no = $1 AND status = 'unpaid' FOR UPDATE`, a.ApplicationNo))
	if err == nil {
		return b, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return Bill{}, err
	}
	now := s.Clock.Now()
	var tz string
	if err := tx.QueryRow(ctx, `SELECT timezone FROM offices WHERE code = $1`, a.Office).Scan(&tz); err != nil {
		return Bill{}, fmt.Errorf("billing: office %s: %w", a.Office, err)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return Bill{}, err
	}
	local := now.In(loc)
	a.Date = time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	prices, err := PricesOn(ctx, tx, a.Date)
	if err != nil {
		return Bill{}, err
	}
	lines, total, err := Compute(a.Request, prices)
	if err != nil {
		return Bill{}, err
	}
	b, err = s.insert(ctx, tx, a, lines, total, now)
	if err != nil {
		return Bill{}, err
	}
	if err := audit.Append(ctx, tx, audit.Entry{Office: b.Office, At: now, Actor: actor, Action: "bill.issue",
		Subject: "application:" + b.ApplicationNo,
		Data:    map[string]any{"billing_code": b.BillingCode, "amount": b.Amount, "expires_at": b.ExpiresAt}}); err != nil {
		return Bill{}, err
	}
	err = s.notify(ctx, tx, b, NoticeIssued, map[string]string{
		"amount": Rupiah(b.Amount), "expires": b.ExpiresAt.Format(time.RFC3339), "appno": b.ApplicationNo})
	return b, err
}

// insert stores the bill under a fresh code, drawing again in the
// astronomically rare case the code is taken.
func (s *Service) insert(ctx context.Context, tx pgx.Tx, a Application, lines []Line, total int64, now time.Time) (Bill, error) {
	for range 5 {
		code, err := NewCode()
		if err != nil {
			return Bill{}, err
		}
		b, err := scanBill(tx.QueryRow(ctx, `INSERT INTO bills
			(billing_code, application_no, office, phone, amount, lines, issued_at, expires_at)
			VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7, $8)
			ON CONFLICT (billing_code) DO NOTHING RETURNING `+billColumns,
			code, a.ApplicationNo, a.Office, a.Phone, total, lines, now, now.Add(s.validity())))
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		return b, err
	}
	return Bill{}, errors.New("billing: no free billing code after 5 draws")
}

// Rupiah writes an amount as Indonesians do: Rp950.000.
func Rupiah(n int64) string {
	s := strconv.FormatInt(n, 10)
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, s[i])
	}
	return "Rp" + string(out)
}

// ByApplication is the application's latest bill (pgx.ErrNoRows when none).
func (s *Service) ByApplication(ctx context.Context, applicationNo string) (Bill, error) {
	return scanBill(s.Pool.QueryRow(ctx, `SELECT `+billColumns+` FROM bills WHERE application_no = $1
		ORDER BY issued_at DESC, id DESC LIMIT 1`, applicationNo))
}

// Cancel closes the application's unpaid bill inside the caller's
// transaction (an application withdrawn or put on hold while billing), so
// its code can no longer be paid. No bill to cancel is not an error.
func (s *Service) Cancel(ctx context.Context, tx pgx.Tx, applicationNo, actor, reason string) error {
	now := s.Clock.Now()
	var code, office string
	err := tx.QueryRow(ctx, `UPDATE bills SET status = 'cancelled', closed_at = $2
		WHERE application_no = $1 AND status = 'unpaid' RETURNING billing_code, office`, applicationNo, now).Scan(&code, &office)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "bill.cancel",
		Subject: "application:" + applicationNo, Data: map[string]any{"billing_code": code, "reason": reason}})
}
