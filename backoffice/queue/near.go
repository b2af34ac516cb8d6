package queue

// "Your turn is near": a text when NearAhead numbers are ahead, so people can
// wait outside a crowded lobby. Online bookings get it by default (their
// phone came with the booking); walk-ins ask for it at the kiosk (Notify).
//
// Calls nudge the office; a nudge runs after the call has committed, never
// inside the call's group commit, and a periodic pass catches what a crash
// or a full nudge queue missed. The condition is "NearAhead or fewer
// ahead", not "exactly", so a missed moment is caught at the next call; the
// queue_near row's sent_at and the notice's key make it one text per
// ticket. None of it locks a ticket's row (see the migration).

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/idn"
)

// NearAhead is how many numbers ahead the "near" text goes.
const NearAhead = 3

// NoticeNear is the notice kind (sms.notice.queue_near).
const NoticeNear = "queue_near"

// Notifier enqueues a text inside the caller's transaction (the wiring
// hands it to the SMS service).
type Notifier interface {
	Notify(ctx context.Context, tx pgx.Tx, n Notice) error
}

// Notice is one text: Key makes it once per event.
type Notice struct {
	Kind, Phone, Office, Key string
	Params                   map[string]string
}

// nudge asks for a "near" pass over office soon; never blocks a call.
func (q *Service) nudge(office string) {
	if q.Notifier == nil {
		return
	}
	select {
	case q.nearQueue() <- office:
	default: // full: the periodic pass catches up
	}
}

// RunNear sends "near" texts until ctx ends: on nudges, and every interval
// for every office with a ticket that still wants one.
func (q *Service) RunNear(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case office := <-q.nearQueue():
			q.logNear(q.NotifyNear(ctx, office))
		case <-tick.C:
			q.logNear(q.notifyAllNear(ctx))
		}
	}
}

// nearQueue is the buffered queue of nudged offices (made on first use).
func (q *Service) nearQueue() chan string {
	q.nearOnce.Do(func() { q.near = make(chan string, 256) })
	return q.near
}

func (q *Service) logNear(err error) {
	if err != nil && q.Log != nil {
		q.Log.Warn("queue: near-turn texts", "err", err)
	}
}

func (q *Service) notifyAllNear(ctx context.Context) error {
	rows, err := q.Pool.Query(ctx, `SELECT DISTINCT office FROM queue_near WHERE sent_at IS NULL AND day >= current_date - 1`)
	if err != nil {
		return err
	}
	offices, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, o := range offices {
		if err := q.NotifyNear(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// NotifyNear texts every waiting ticket of the office's day with at most
// NearAhead ahead that asked for it and has not had it.
func (q *Service) NotifyNear(ctx context.Context, office string) error {
	if q.Notifier == nil {
		return nil
	}
	f, err := q.Forecast(ctx, office)
	if err != nil {
		return err
	}
	day, err := q.Day(ctx, office, f.At)
	if err != nil {
		return err
	}
	rows, err := q.Pool.Query(ctx, `SELECT t.id, t.number, n.phone FROM queue_near n JOIN queue_tickets t ON t.id = n.ticket_id
		WHERE n.office = $1 AND n.day = $2 AND n.sent_at IS NULL AND t.status = 'waiting'`, office, day)
	if err != nil {
		return err
	}
	type due struct {
		id            int64
		number, phone string
	}
	var d due
	var dues []due
	if _, err := pgx.ForEachRow(rows, []any{&d.id, &d.number, &d.phone}, func() error {
		if e, ok := f.Numbers[d.number]; ok && e.Ahead <= NearAhead {
			dues = append(dues, d)
		}
		return nil
	}); err != nil {
		return err
	}
	for _, d := range dues {
		e := f.Numbers[d.number]
		if err := pgx.BeginFunc(ctx, q.Pool, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, `UPDATE queue_near SET sent_at = $2 WHERE ticket_id = $1 AND sent_at IS NULL`, d.id, f.At)
			if err != nil || tag.RowsAffected() == 0 {
				return err
			}
			return q.Notifier.Notify(ctx, tx, Notice{Kind: NoticeNear, Phone: d.phone, Office: office,
				Key:    "near:" + office + ":" + civil.Date(day) + ":" + d.number,
				Params: map[string]string{"ticket": d.number, "ahead": strconv.Itoa(e.Ahead), "minutes": strconv.Itoa(max(e.WaitMin, 0))}})
		}); err != nil {
			return err
		}
	}
	return nil
}

// AskNear records a walk-in's phone for the "near" text of their waiting
// ticket (kiosk opt-in). The phone is validated as a mobile number.
func (q *Service) AskNear(ctx context.Context, office, number, phone, actor string) error {
	e164, err := idn.NormalizeMobile(phone)
	if err != nil {
		return httpx.Invalid().Field("phone", "queue.field.phone")
	}
	now := q.Clock.Now()
	day, err := q.Day(ctx, office, now)
	if err != nil {
		return err
	}
	tag, err := q.Pool.Exec(ctx, `INSERT INTO queue_near (ticket_id, office, day, phone)
		SELECT id, office, day, $4 FROM queue_tickets WHERE office = $1 AND day = $2 AND number = $3 AND status = 'waiting'
		ON CONFLICT (ticket_id) DO UPDATE SET phone = excluded.phone`, office, day, number, e164)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return httpx.New(http.StatusNotFound, "ticket_not_waiting")
	}
	q.nudge(office)
	return nil
}
