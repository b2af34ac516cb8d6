package sms

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
)

// BroadcastKindQuota is the daily quota broadcast.
const BroadcastKindQuota = "quota"

// BroadcastResult says what one office's broadcast did.
type BroadcastResult struct {
	Office  string
	Day     time.Time
	ID      int64
	Queued  int    // messages added now
	Skipped string // why nothing was sent ("no_quota", "closed"), or ""
}

// ErrUnknownOffice is returned for an office code that does not exist.
var ErrUnknownOffice = errors.New("sms: unknown office")

// BroadcastQuota enqueues the office's quota for today (office time) to
// every subscriber who has not stopped broadcasts, in one transaction. Each
// message's key names the office, day and phone, so running it again (the
// scheduler on another instance, `sppt broadcast quota`, a restart) reaches
// only subscribers who joined since.
func (s *Service) BroadcastQuota(ctx context.Context, code string) (BroadcastResult, error) {
	o, ok, err := s.Offices.Office(ctx, code)
	if err != nil {
		return BroadcastResult{}, err
	}
	if !ok {
		return BroadcastResult{}, fmt.Errorf("%w: %s", ErrUnknownOffice, code)
	}
	now := s.Clock.Now()
	day := officeDay(o, now)
	res := BroadcastResult{Office: o.Code, Day: day}
	q, err := s.Quota.DayQuota(ctx, o.Code, day)
	if err != nil {
		return res, err
	}
	switch {
	case !q.Known:
		res.Skipped = "no_quota"
		return res, nil
	case !q.Open:
		res.Skipped = "closed"
		return res, nil
	}
	bodyID := s.quotaText("id", "sms.broadcast.quota", o, day, q)
	bodyEN := s.quotaText("en", "sms.broadcast.quota", o, day, q)
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO sms_broadcasts (office, day, kind, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (office, day, kind) DO UPDATE SET kind = excluded.kind RETURNING id`,
			o.Code, day, BroadcastKindQuota, now).Scan(&res.ID)
		if err != nil {
			return err
		}
		ids, err := s.enqueueBroadcast(ctx, tx, res.ID, o.Code, day, bodyID, bodyEN, now)
		if err != nil {
			return err
		}
		res.Queued = len(ids)
		if _, err := tx.Exec(ctx, `UPDATE sms_broadcasts SET total = total + $2 WHERE id = $1`, res.ID, len(ids)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: o.Code, At: now, Actor: "system", Action: "sms.broadcast",
			Subject: fmt.Sprintf("sms_broadcast:%d", res.ID), Data: map[string]any{"kind": BroadcastKindQuota, "day": day.Format(time.DateOnly), "queued": len(ids)}})
	})
	return res, err
}

// enqueueBroadcast stores one message per subscriber with a single
// INSERT … SELECT (no row crosses the network) and adds their send jobs with
// River's COPY path.
func (s *Service) enqueueBroadcast(ctx context.Context, tx pgx.Tx, id int64, office string, day time.Time, bodyID, bodyEN string, now time.Time) ([]int64, error) {
	rows, err := tx.Query(ctx, `INSERT INTO sms_messages (idem_key, to_phone, channel, kind, office, body, created_at, updated_at, broadcast_id)
		SELECT 'broadcast:quota:' || $1 || ':' || $2 || ':' || sub.phone, sub.phone, sub.channel, 'broadcast', $1,
			CASE sub.lang WHEN 'en' THEN $4 ELSE $3 END, $5, $5, $6
		FROM sms_subscriptions sub
		WHERE sub.office = $1 AND NOT EXISTS (SELECT 1 FROM sms_optouts o WHERE o.phone = sub.phone)
		ON CONFLICT (idem_key) DO NOTHING RETURNING id`,
		office, day.Format(time.DateOnly), bodyID, bodyEN, now, id)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	return ids, s.Outbox.insertJobs(ctx, tx, ids)
}

// BroadcastDue runs the quota broadcast of every office that opens at the
// minute slot, in its own time zone. The scheduler fires it every minute on
// one instance; reading opening times at each firing means an office added
// or an opening time changed needs no restart.
func (s *Service) BroadcastDue(ctx context.Context, slot time.Time) error {
	offices, err := s.Offices.Offices(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, o := range offices {
		if o.Location == nil || slot.In(o.Location).Format("15:04") != o.Opens {
			continue
		}
		res, err := s.BroadcastQuota(ctx, o.Code)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", o.Code, err))
			continue
		}
		s.Log.Info("sms: quota broadcast", "office", o.Code, "queued", res.Queued, "skipped", res.Skipped)
	}
	return errors.Join(errs...)
}
