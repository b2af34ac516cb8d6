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
// every subscriber who has not stopped broadcasts, in one transaction: the
// broadcast row with its texts, one INSERT … SELECT of its recipients and
// one drain job that hands them to the outbox while sending goes on (see
// drain.go). A recipient is keyed by broadcast and phone, so running it
// again (the scheduler on another instance, `sppt broadcast quota`, a
// restart) reaches only subscribers who joined since; the texts are
// refreshed then, for the recipients not handed over yet.
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
		// The upsert locks the broadcast row: no drain step and no other run
		// of the same broadcast goes on until this one commits.
		var again bool
		err := tx.QueryRow(ctx, `INSERT INTO sms_broadcasts (office, day, kind, created_at, body_id, body_en) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (office, day, kind) DO UPDATE SET body_id = excluded.body_id, body_en = excluded.body_en
			RETURNING id, xmax <> 0`, o.Code, day, BroadcastKindQuota, now, bodyID, bodyEN).Scan(&res.ID, &again)
		if err != nil {
			return err
		}
		if res.Queued, err = s.enqueueBroadcast(ctx, tx, res.ID, o.Code, again); err != nil {
			return err
		}
		if res.Queued > 0 {
			if _, err := s.Outbox.Jobs.InsertTx(ctx, tx, DrainArgs{BroadcastID: res.ID}, nil); err != nil {
				return fmt.Errorf("broadcast drain job: %w", err)
			}
		}
		return audit.Append(ctx, tx, audit.Entry{Office: o.Code, At: now, Actor: "system", Action: "sms.broadcast",
			Subject: fmt.Sprintf("sms_broadcast:%d", res.ID), Data: map[string]any{"kind": BroadcastKindQuota, "day": day.Format(time.DateOnly), "queued": res.Queued}})
	})
	return res, err
}

// enqueueBroadcast stores the broadcast's recipients with a single
// INSERT … SELECT (no row crosses the network, one narrow index, no
// conflict handling: the broadcast row's lock makes runs of one broadcast
// take turns) and counts them.
//
// A run again the same day adds only subscribers who are not recipients
// yet. They may sort before the drain's cursor: the cursor then moves back
// to just before the first of them (the drain skips the ones it handed
// over already, by their outbox key).
func (s *Service) enqueueBroadcast(ctx context.Context, tx pgx.Tx, id int64, office string, again bool) (int, error) {
	const insert = `INSERT INTO sms_broadcast_recipients (broadcast_id, phone, channel, lang)
		SELECT $1, sub.phone, sub.channel, sub.lang FROM sms_subscriptions sub
		WHERE sub.office = $2 AND NOT EXISTS (SELECT 1 FROM sms_optouts o WHERE o.phone = sub.phone)`
	if !again {
		tag, err := tx.Exec(ctx, insert, id, office)
		if err != nil {
			return 0, err
		}
		n := int(tag.RowsAffected())
		_, err = tx.Exec(ctx, `UPDATE sms_broadcasts SET total = $2 WHERE id = $1`, id, n)
		return n, err
	}
	var n int
	var first *string
	err := tx.QueryRow(ctx, `WITH added AS (`+insert+`
			AND NOT EXISTS (SELECT 1 FROM sms_broadcast_recipients r WHERE r.broadcast_id = $1 AND r.phone = sub.phone)
			RETURNING phone)
		SELECT count(*), min(phone) FROM added`, id, office).Scan(&n, &first)
	if err != nil || n == 0 {
		return 0, err
	}
	_, err = tx.Exec(ctx, `UPDATE sms_broadcasts SET total = total + $2,
			fed_after = CASE WHEN $3::text <= fed_after THEN coalesce((SELECT max(r.phone) FROM sms_broadcast_recipients r
				WHERE r.broadcast_id = $1 AND r.phone < $3::text), '') ELSE fed_after END
		WHERE id = $1`, id, n, *first)
	return n, err
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
