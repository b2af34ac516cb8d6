package sms

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/jobs"
)

// Message is one outbound message as its cause describes it.
type Message struct {
	To      string // E.164
	Channel string // "sms" (default) or "whatsapp"
	Kind    string // "otp", "booking", "broadcast", "waitlist", "ready", …
	Office  string
	Body    string
	Key     string // idempotency key: one message per event, e.g. "otp:42"
}

// Outbox stores messages and sends them through durable River jobs. Enqueue
// runs inside the caller's transaction, so a message exists exactly when its
// cause committed, and its key makes a second send of the same event impossible.
type Outbox struct {
	Pool     *pgxpool.Pool
	Jobs     *jobs.Runner
	Clock    clock.Clock
	Provider Provider
	Log      *slog.Logger
}

// SendArgs is the River job that sends one stored message.
type SendArgs struct {
	MessageID int64 `json:"message_id"`
}

func (SendArgs) Kind() string { return "sms_send" }

func (SendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: "sms", MaxAttempts: 12}
}

// Register adds the outbox's worker and queue to the runner.
func (o *Outbox) Register(r *jobs.Runner) {
	river.AddWorker(r.Workers, &sendWorker{o: o})
	r.Queues["sms"] = river.QueueConfig{MaxWorkers: 10}
}

// Enqueue stores m and its send job in tx. It reports false when a message
// with the same key already exists (nothing is added then).
func (o *Outbox) Enqueue(ctx context.Context, tx pgx.Tx, m Message) (bool, error) {
	if m.Channel == "" {
		m.Channel = "sms"
	}
	now := o.Clock.Now()
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO sms_messages (idem_key, to_phone, channel, kind, office, body, created_at, updated_at)
		VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, $7, $7) ON CONFLICT (idem_key) DO NOTHING RETURNING id`,
		m.Key, m.To, m.Channel, m.Kind, m.Office, m.Body, now).Scan(&id)
	if err == pgx.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("outbox: %w", err)
	}
	if _, err := o.Jobs.InsertTx(ctx, tx, SendArgs{MessageID: id}, nil); err != nil {
		return false, fmt.Errorf("outbox job: %w", err)
	}
	return true, nil
}

type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	o *Outbox
}

func (w *sendWorker) Timeout(*river.Job[SendArgs]) time.Duration { return 30 * time.Second }

func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	o := w.o
	var m Outgoing
	var status string
	err := o.Pool.QueryRow(ctx, `SELECT to_phone, channel, body, idem_key, status FROM sms_messages WHERE id = $1`,
		job.Args.MessageID).Scan(&m.To, &m.Channel, &m.Body, &m.Key, &status)
	if err != nil {
		return err
	}
	if status != "queued" && status != "sending" {
		return nil // already sent or settled: never twice
	}
	sid, sendErr := o.Provider.Send(ctx, m)
	now := o.Clock.Now()
	if p, ok := IsPermanent(sendErr); ok {
		st := "failed"
		if p.Stopped {
			st = "stopped"
		}
		_, err := o.Pool.Exec(ctx, `UPDATE sms_messages SET status = $2, error = $3, attempts = attempts + 1, updated_at = $4 WHERE id = $1`,
			job.Args.MessageID, st, p.Error(), now)
		return err
	}
	if sendErr != nil {
		_, _ = o.Pool.Exec(ctx, `UPDATE sms_messages SET error = $2, attempts = attempts + 1, updated_at = $3 WHERE id = $1`,
			job.Args.MessageID, sendErr.Error(), now)
		return sendErr
	}
	_, err = o.Pool.Exec(ctx, `UPDATE sms_messages SET status = 'sent', provider_sid = $2, error = NULL, attempts = attempts + 1, updated_at = $3
		WHERE id = $1 AND status IN ('queued', 'sending')`, job.Args.MessageID, sid, now)
	return err
}
