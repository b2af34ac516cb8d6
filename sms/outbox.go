package sms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

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
//
// # Delivery state machine and the boundary of "exactly once"
//
// Twilio's Messages API takes no idempotency key, so when a request times
// out, or the process dies while it is in flight, SPPT cannot know from the
// answer whether Twilio accepted the message. The worker therefore:
//
//  1. claims the message (queued → sending) with a lease, so one worker owns it;
//  2. marks it uncertain and commits BEFORE calling Twilio;
//  3. records the answer: sent (with Twilio's sid), queued again when Twilio
//     definitively refused it (429/20429: safe to resend), failed/stopped on a
//     permanent error, or left uncertain on a timeout, a transport error or
//     a 5xx, with the lease extended by the client timeout so a request
//     Twilio may still be processing has settled before anyone looks;
//  4. a later attempt on an uncertain message first asks Twilio (Find: the
//     recipient's recent messages with the same body since the first
//     attempt). Found: it is recorded as sent, not sent again. Not found: it
//     is sent again.
//
// The remaining window: Twilio accepted the request but its message list does
// not show it yet when the check runs (the lease delays the check past the
// client timeout, which makes this unlikely, not impossible); then the
// recipient gets the text twice. SPPT prefers a rare duplicate to a lost
// message; the opposite choice (never resend an uncertain message) would be
// one UPDATE in record().
//
// After a crash, River leaves the killed process's jobs "running" until its
// rescuer retries them, after jobs.RescueAfter: longer than any attempt can
// take (JobTimeout).
type Outbox struct {
	Pool     *pgxpool.Pool
	Jobs     *jobs.Runner
	Clock    clock.Clock
	Provider Provider
	Limiter  *RateLimiter // nil: no rate limit (log driver in tests)
	Log      *slog.Logger
}

// Timings of a send attempt. Physical time, never SPPT's business clock.
const (
	// JobTimeout bounds one attempt: claim, Find (one Twilio call), a rate
	// slot (rateWait), Send (one Twilio call), record.
	JobTimeout = jobs.JobTimeout
	rateWait   = 4 * time.Second
	// settle is how long a request that timed out may still be processed by
	// Twilio: the lease of an uncertain message lasts this long.
	settle = DefaultTwilioTimeout + 2*time.Second
)

// SendArgs is the River job that sends one stored message.
type SendArgs struct {
	MessageID int64 `json:"message_id"`
}

func (SendArgs) Kind() string { return "sms_send" }

func (SendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: "sms", MaxAttempts: 25}
}

// Register adds the outbox's worker and queue to the runner.
func (o *Outbox) Register(r *jobs.Runner) {
	river.AddWorker(r.Workers, &sendWorker{o: o})
	river.AddWorker(r.Workers, &drainWorker{o: o})
	r.Queues["sms"] = river.QueueConfig{MaxWorkers: 50}      // most of them wait for a rate slot
	r.Queues["sms_drain"] = river.QueueConfig{MaxWorkers: 2} // broadcasts feeding the outbox
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
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("outbox: %w", err)
	}
	if _, err := o.Jobs.InsertTx(ctx, tx, SendArgs{MessageID: id}, &river.InsertOpts{Priority: priority(m.Kind)}); err != nil {
		return false, fmt.Errorf("outbox job: %w", err)
	}
	return true, nil
}

// EnqueueMany is Enqueue for a group commit: the messages with one INSERT
// and their send jobs with one COPY. Keys already used are skipped.
func (o *Outbox) EnqueueMany(ctx context.Context, tx pgx.Tx, ms []Message) error {
	if len(ms) == 0 {
		return nil
	}
	keys, to, channels, kinds, offices, bodies := make([]string, len(ms)), make([]string, len(ms)), make([]string, len(ms)),
		make([]string, len(ms)), make([]string, len(ms)), make([]string, len(ms))
	for i, m := range ms {
		if m.Channel == "" {
			m.Channel = "sms"
		}
		keys[i], to[i], channels[i], kinds[i], offices[i], bodies[i] = m.Key, m.To, m.Channel, m.Kind, m.Office, m.Body
	}
	rows, err := tx.Query(ctx, `INSERT INTO sms_messages (idem_key, to_phone, channel, kind, office, body, created_at, updated_at)
		SELECT k, t, c, kd, NULLIF(o, ''), b, $7, $7
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(k, t, c, kd, o, b)
		ON CONFLICT (idem_key) DO NOTHING RETURNING id, kind`, keys, to, channels, kinds, offices, bodies, o.Clock.Now())
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	var ids []int64
	var prios []int
	var id int64
	var kind string
	if _, err := pgx.ForEachRow(rows, []any{&id, &kind}, func() error {
		ids, prios = append(ids, id), append(prios, priority(kind))
		return nil
	}); err != nil || len(ids) == 0 {
		return err
	}
	return o.insertJobs(ctx, tx, ids, prios)
}

// Job priorities (River's 1 is fetched first): a sign-in code is useless
// after a few minutes, so it never waits behind other messages; the daily
// broadcast, the largest batch, waits behind everything.
const (
	priorityOTP       = 1
	priorityNotice    = 2
	priorityBroadcast = 4
)

func priority(kind string) int {
	switch kind {
	case NoticeOTP:
		return priorityOTP
	case "broadcast":
		return priorityBroadcast
	}
	return priorityNotice
}

// insertJobs adds one send job per stored message id, each with its
// priority, with River's COPY path.
func (o *Outbox) insertJobs(ctx context.Context, tx pgx.Tx, ids []int64, prios []int) error {
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: SendArgs{MessageID: id}, InsertOpts: &river.InsertOpts{Priority: prios[i]}}
	}
	for len(params) > 0 {
		n := min(len(params), 20000) // keep each COPY's memory bounded
		if _, err := o.Jobs.InsertManyTx(ctx, tx, params[:n]); err != nil {
			return fmt.Errorf("outbox jobs: %w", err)
		}
		params = params[n:]
	}
	return nil
}

// validity is how long Twilio may keep a message queued: a code is useless
// after a few minutes, a broadcast after the morning.
func validity(kind string) time.Duration {
	switch kind {
	case "otp":
		return 10 * time.Minute
	case "broadcast":
		return 4 * time.Hour
	}
	return 10 * time.Hour
}

type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	o *Outbox
}

func (w *sendWorker) Timeout(*river.Job[SendArgs]) time.Duration { return JobTimeout }

// NextRetry backs off exponentially from 1 s to 10 min, with jitter so a
// burst of 429s does not come back as one burst.
func (w *sendWorker) NextRetry(job *river.Job[SendArgs]) time.Time {
	d := time.Second << min(job.Attempt-1, 10)
	d = min(d, 10*time.Minute)
	return time.Now().Add(d + rand.N(d/4+time.Millisecond))
}

// claimed is a message a worker owns until its lease ends.
type claimed struct {
	msg          Outgoing
	uncertain    bool
	firstAttempt time.Time
}

func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	o, id := w.o, job.Args.MessageID
	c, wait, err := o.claim(ctx, id)
	switch {
	case err != nil:
		return err
	case wait > 0:
		return river.JobSnooze(wait) // another worker holds it, or an uncertain request is settling
	case c == nil:
		return nil // sent or settled already: never twice
	}
	if c.uncertain {
		if f, ok := o.Provider.(Finder); ok {
			sid, found, err := f.Find(ctx, c.msg, c.firstAttempt)
			if err != nil {
				o.release(ctx, id, true)
				return err
			}
			if found {
				return o.recordSent(ctx, id, sid)
			}
		}
	}
	// From here Twilio may accept the message whatever we hear back. The
	// mark is written before the rate slot, so that after the slot only the
	// HTTP call remains and sends leave at their slot times.
	if _, err := o.Pool.Exec(ctx, `UPDATE sms_messages SET uncertain = true, attempts = attempts + 1, updated_at = $2 WHERE id = $1`,
		id, o.Clock.Now()); err != nil {
		o.release(ctx, id, c.uncertain)
		return err
	}
	if o.Limiter != nil {
		if err := o.Limiter.Wait(ctx, rateWait); err != nil {
			o.release(ctx, id, c.uncertain) // nothing was sent: the message is as uncertain as before
			if errors.Is(err, ErrRateBusy) {
				return river.JobSnooze(time.Second)
			}
			return err
		}
	}
	sid, sendErr := o.Provider.Send(ctx, c.msg)
	return o.record(ctx, job, c.msg, sid, sendErr)
}

// claim takes the message for this attempt. It returns nil when there is
// nothing to send, or how long to wait while someone else holds it.
func (o *Outbox) claim(ctx context.Context, id int64) (*claimed, time.Duration, error) {
	wall := time.Now()
	c := &claimed{}
	var kind string
	err := o.Pool.QueryRow(ctx, `UPDATE sms_messages SET status = 'sending', lease_until = $2,
			first_attempt_at = coalesce(first_attempt_at, $3), updated_at = $4
		WHERE id = $1 AND (status = 'queued' OR (status = 'sending' AND (lease_until IS NULL OR lease_until <= $3)))
		RETURNING to_phone, channel, body, idem_key, kind, uncertain, first_attempt_at`,
		id, wall.Add(JobTimeout), wall, o.Clock.Now()).Scan(&c.msg.To, &c.msg.Channel, &c.msg.Body, &c.msg.Key, &kind, &c.uncertain, &c.firstAttempt)
	if err == nil {
		c.msg.Validity, c.msg.Kind = validity(kind), kind
		return c, 0, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, err
	}
	var status string
	var lease *time.Time
	err = o.Pool.QueryRow(ctx, `SELECT status, lease_until FROM sms_messages WHERE id = $1`, id).Scan(&status, &lease)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	if status != "queued" && status != "sending" {
		return nil, 0, nil
	}
	wait := time.Second
	if lease != nil {
		wait = max(time.Until(*lease), 0) + 100*time.Millisecond
	}
	return nil, wait, nil
}

// release gives the lease back without a send having been made; uncertain
// is whether an earlier attempt may have reached the provider.
func (o *Outbox) release(ctx context.Context, id int64, uncertain bool) {
	_, err := o.Pool.Exec(context.WithoutCancel(ctx), `UPDATE sms_messages SET lease_until = NULL, uncertain = $2,
		status = CASE WHEN $2 THEN 'sending' ELSE 'queued' END WHERE id = $1 AND status = 'sending'`, id, uncertain)
	if err != nil {
		o.Log.Warn("sms: releasing a message failed", "id", id, "err", err)
	}
}

func (o *Outbox) recordSent(ctx context.Context, id int64, sid string) error {
	now := o.Clock.Now()
	_, err := o.Pool.Exec(context.WithoutCancel(ctx), `UPDATE sms_messages SET status = 'sent', provider_sid = $2, sent_at = $3,
		uncertain = false, lease_until = NULL, error = NULL, updated_at = $3 WHERE id = $1 AND status = 'sending'`, id, sid, now)
	return err
}

// record stores the outcome of a provider call (see the state machine above).
// It runs without the job's context: the answer must be written even when
// the attempt's time is up.
func (o *Outbox) record(ctx context.Context, job *river.Job[SendArgs], m Outgoing, sid string, sendErr error) error {
	id := job.Args.MessageID
	ctx = context.WithoutCancel(ctx)
	if sendErr == nil {
		return o.recordSent(ctx, id, sid)
	}
	now := o.Clock.Now()
	if p, ok := IsPermanent(sendErr); ok {
		st := "failed"
		if p.Stopped {
			st = "stopped"
		}
		return pgx.BeginFunc(ctx, o.Pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE sms_messages SET status = $2, error = $3, uncertain = false, lease_until = NULL,
				updated_at = $4 WHERE id = $1`, id, st, p.Error(), now); err != nil {
				return err
			}
			if !p.Stopped {
				return nil
			}
			_, err := tx.Exec(ctx, `INSERT INTO sms_optouts (phone, reason, stopped_at) VALUES ($1, 'carrier', $2)
				ON CONFLICT (phone) DO NOTHING`, m.To, now)
			return err
		})
	}
	status, uncertain := "sending", true
	var lease *time.Time
	if var5xx := (*ServerError)(nil); !errors.As(sendErr, &var5xx) {
		t := time.Now().Add(settle) // a timed-out request may still reach Twilio: check only after it settled
		lease = &t
	}
	if IsNotSent(sendErr) {
		status, uncertain, lease = "queued", false, nil
	}
	if job.Attempt >= job.MaxAttempts {
		status = "failed" // River gives up after this attempt: say so
	}
	_, err := o.Pool.Exec(ctx, `UPDATE sms_messages SET status = $2, uncertain = $3, lease_until = $4, error = $5,
		updated_at = $6 WHERE id = $1`, id, status, uncertain, lease, truncate(sendErr.Error(), 500), now)
	if err != nil {
		o.Log.Warn("sms: recording a failed attempt failed", "id", id, "err", err)
	}
	return sendErr
}

func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD") // PostgreSQL refuses invalid UTF-8 in text
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) { // never cut a character in two
		n--
	}
	return s[:n]
}
