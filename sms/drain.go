package sms

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
)

// A broadcast is enqueued as one INSERT … SELECT of its recipients into
// sms_broadcast_recipients (narrow rows, one compact key) plus ONE drain job,
// in the transaction that records the broadcast. The drain job then hands
// recipients to the outbox (a sms_messages row and a send job each, the same
// rows and keys as any other message) at the pace of sending: it keeps about
// drainAhead of sending queued and no more. Everything after that is the
// outbox's: the deployment-wide rate limit, retries, the uncertain-send
// check, delivery callbacks.
//
// Exactly once: each recipient's outbox row has the key
// broadcast:<kind>:<office>:<day>:<phone>, inserted ON CONFLICT DO NOTHING,
// so a step that runs twice (a crash after the commit, two drain jobs, a
// re-run rescanning) cannot add a second message. A step claims the
// broadcast row with FOR UPDATE SKIP LOCKED, so steps of one broadcast never
// overlap, whatever the number of instances; it reads the next recipients
// in key order after the cursor sms_broadcasts.fed_after, adds them, moves
// the cursor and commits: a recipient is handed over exactly when the
// cursor passes it. A phone that stopped broadcasts after the broadcast was
// made gets a 'stopped' row instead of a message.

// DrainArgs is the River job that feeds one broadcast into the outbox.
type DrainArgs struct {
	BroadcastID int64 `json:"broadcast_id"`
}

func (DrainArgs) Kind() string { return "sms_broadcast_drain" }

func (DrainArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: "sms_drain", MaxAttempts: 25}
}

const (
	// drainAhead is how many seconds of sending the drain keeps queued.
	drainAhead = 5
	// drainBudget is how long one Work call feeds before it gives its
	// worker back (JobSnooze(0): the job is available again at once).
	drainBudget = 15 * time.Second
	drainPoll   = 200 * time.Millisecond
)

type drainWorker struct {
	river.WorkerDefaults[DrainArgs]
	o *Outbox
}

func (w *drainWorker) Timeout(*river.Job[DrainArgs]) time.Duration { return JobTimeout }

func (w *drainWorker) Work(ctx context.Context, job *river.Job[DrainArgs]) error {
	deadline := time.Now().Add(drainBudget)
	for {
		fed, done, err := w.o.feed(ctx, job.Args.BroadcastID)
		if err != nil || done {
			return err
		}
		if time.Now().After(deadline) {
			return river.JobSnooze(0)
		}
		if fed == 0 { // enough queued (or another step holds the broadcast): wait for sends
			if err := sleepUntil(ctx, time.Now().Add(drainPoll)); err != nil {
				return err
			}
		}
	}
}

// window is how many messages of one broadcast may wait in the outbox.
func (o *Outbox) window() int {
	if o.Limiter == nil || o.Limiter.Rate <= 0 {
		return 1000
	}
	return min(max(int(o.Limiter.Rate*drainAhead), 50), 5000)
}

type drainBroadcast struct {
	office, kind, bodyID, bodyEN, after string
	day                                 time.Time
}

// feed runs one drain step: it reports how many recipients it handed over
// and whether the broadcast has none left.
func (o *Outbox) feed(ctx context.Context, id int64) (fed int, done bool, err error) {
	err = pgx.BeginFunc(ctx, o.Pool, func(tx pgx.Tx) error {
		var b drainBroadcast
		err := tx.QueryRow(ctx, `SELECT office, kind, day, body_id, body_en, fed_after FROM sms_broadcasts
			WHERE id = $1 FOR UPDATE SKIP LOCKED`, id).Scan(&b.office, &b.kind, &b.day, &b.bodyID, &b.bodyEN, &b.after)
		if errors.Is(err, pgx.ErrNoRows) { // another step holds it, or it does not exist
			return tx.QueryRow(ctx, `SELECT NOT EXISTS (SELECT 1 FROM sms_broadcasts WHERE id = $1)`, id).Scan(&done)
		}
		if err != nil {
			return err
		}
		var backlog int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM sms_messages WHERE broadcast_id = $1 AND status IN ('queued', 'sending')`,
			id).Scan(&backlog); err != nil {
			return err
		}
		n := o.window() - backlog
		if n <= 0 {
			return nil
		}
		var phones, channels, langs []string
		rows, err := tx.Query(ctx, `SELECT phone, channel, lang FROM sms_broadcast_recipients
			WHERE broadcast_id = $1 AND phone > $2 ORDER BY phone LIMIT $3`, id, b.after, n)
		if err != nil {
			return err
		}
		var p, c, l string
		if _, err := pgx.ForEachRow(rows, []any{&p, &c, &l}, func() error {
			phones, channels, langs = append(phones, p), append(channels, c), append(langs, l)
			return nil
		}); err != nil {
			return err
		}
		done = len(phones) < n
		if len(phones) == 0 {
			return nil
		}
		if err := o.handOver(ctx, tx, id, b, phones, channels, langs); err != nil {
			return err
		}
		fed = len(phones)
		_, err = tx.Exec(ctx, `UPDATE sms_broadcasts SET fed_after = $2 WHERE id = $1`, id, phones[len(phones)-1])
		return err
	})
	return fed, done, err
}

// handOver writes the recipients' outbox rows and the send jobs of those
// that may receive it.
func (o *Outbox) handOver(ctx context.Context, tx pgx.Tx, id int64, b drainBroadcast, phones, channels, langs []string) error {
	prefix := fmt.Sprintf("broadcast:%s:%s:%s:", b.kind, b.office, b.day.Format(time.DateOnly))
	rows, err := tx.Query(ctx, `INSERT INTO sms_messages (idem_key, to_phone, channel, kind, office, body, status, error,
			created_at, updated_at, broadcast_id)
		SELECT $1 || u.p, u.p, u.c, 'broadcast', $2, CASE u.l WHEN 'en' THEN $4 ELSE $3 END, s.status,
			CASE s.status WHEN 'stopped' THEN 'opted out before sending' END, $5, $5, $6
		FROM unnest($7::text[], $8::text[], $9::text[]) AS u(p, c, l),
			LATERAL (SELECT CASE WHEN EXISTS (SELECT 1 FROM sms_optouts o WHERE o.phone = u.p) THEN 'stopped' ELSE 'queued' END AS status) s
		ON CONFLICT (idem_key) DO NOTHING RETURNING id, status`,
		prefix, b.office, b.bodyID, b.bodyEN, o.Clock.Now(), id, phones, channels, langs)
	if err != nil {
		return err
	}
	var ids []int64
	var prios []int
	var msgID int64
	var status string
	if _, err := pgx.ForEachRow(rows, []any{&msgID, &status}, func() error {
		if status == "queued" {
			ids, prios = append(ids, msgID), append(prios, priorityBroadcast)
		}
		return nil
	}); err != nil {
		return err
	}
	return o.insertJobs(ctx, tx, ids, prios)
}

// Querier is a pool, a connection or a transaction.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Pending counts the messages not sent yet: outbox rows queued or sending,
// and broadcast recipients the drain has not handed to the outbox.
func Pending(ctx context.Context, q Querier) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT (SELECT count(*) FROM sms_messages WHERE status IN ('queued', 'sending'))
		+ (SELECT count(*) FROM sms_broadcasts b JOIN sms_broadcast_recipients r ON r.broadcast_id = b.id AND r.phone > b.fed_after)`).Scan(&n)
	return n, err
}
