package billing

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
)

// SweepSpec is the cron schedule of ExpireDue: every minute.
const SweepSpec = "* * * * *"

// sweepBatch bounds one transaction of the sweep.
const sweepBatch = 200

// ExpireDue expires every unpaid bill whose time has passed: the bill is
// closed, the stage machine told, the applicant told by SMS and the audit
// entry written, in one transaction per batch. Bills are claimed with
// FOR UPDATE SKIP LOCKED and only while unpaid, so two instances sweeping at
// once never expire one bill twice, and a payment being confirmed at that
// moment (it holds the row) wins. It fits jobs.Scheduler's func(ctx, slot).
func (s *Service) ExpireDue(ctx context.Context, _ time.Time) error {
	for {
		n, err := s.expireBatch(ctx)
		if err != nil || n < sweepBatch {
			return err
		}
	}
}

func (s *Service) expireBatch(ctx context.Context) (int, error) {
	n := 0
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		now := s.Clock.Now()
		rows, err := tx.Query(ctx, `UPDATE bills SET status = 'expired', closed_at = $1
			WHERE status = 'unpaid' AND id IN (SELECT id FROM bills WHERE status = 'unpaid' AND expires_at <= $1
			             ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
			RETURNING `+billColumns, now, sweepBatch)
		if err != nil {
			return err
		}
		bills, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Bill, error) { return scanBill(r) })
		if err != nil {
			return err
		}
		n = len(bills)
		entries := make([]audit.Entry, 0, n)
		for _, b := range bills {
			if err := s.Stages.Expired(ctx, tx, b.ApplicationNo); err != nil {
				return err
			}
			if err := s.notify(ctx, tx, b, NoticeExpired, map[string]string{"appno": b.ApplicationNo}); err != nil {
				return err
			}
			entries = append(entries, audit.Entry{Office: b.Office, At: now, Actor: "system", Action: "bill.expire",
				Subject: "application:" + b.ApplicationNo, Data: map[string]any{"billing_code": b.BillingCode}})
		}
		return audit.Append(ctx, tx, entries...)
	})
	return n, err
}
