package queue

// Wait prediction: when will this number be called?
//
// The queue knows, for each booth group (OSS desks, pickup counters), the
// booths at work and how long one applicant takes there: the measured
// turn time (called → finished: the next call finishes the previous
// ticket, so it includes the officer's turnaround) over the last
// HistoryDays office days. The forecast replays the calling rule on that
// pace: every working booth is next free when its current applicant's
// turn time is up (now, when it is idle or overdue); the waiting line, in
// calling order (priority first, then First In First Served), takes the
// soonest-free booth one by one. A booth counts as at work when it called
// within ActiveWindow; before any booth has called, every booth of the group
// counts, from now.
//
// Each ticket keeps the call time predicted when it was issued
// (predicted_call_at), so Accuracy measures the forecast against the real
// calls. Priority arrivals after a ticket, recalls and no-shows are not
// foreseen: they are what the measured error holds.

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/civil"
)

// The forecast's parameters.
var (
	// DefaultTurn is a booth's time per applicant before the office has
	// measured any: an OSS desk's intake, and a pickup counter's handover.
	DefaultTurn       = 8 * time.Minute
	DefaultPickupTurn = 3 * time.Minute
	// ActiveWindow: a booth that called within it is at work.
	ActiveWindow = 30 * time.Minute
	// HistoryDays of finished tickets give the measured turn time.
	HistoryDays = 14
	// turnCacheFor: the turn time moves slowly; re-measuring it on every
	// check-in would scan two weeks of tickets each time.
	turnCacheFor = 5 * time.Minute
)

// Expectation is the forecast for one waiting number.
type Expectation struct {
	Number  string    `json:"ticket"`
	Service string    `json:"service"`
	Ahead   int       `json:"ahead"` // tickets called before it, in its booth group
	CallAt  time.Time `json:"expected_call_at"`
	WaitMin int       `json:"expected_wait_min"`
}

// Forecast is an office day's waiting line with the expected call of each
// number, and of a number issued now per service.
type Forecast struct {
	At      time.Time
	Numbers map[string]Expectation // by ticket number
	New     map[string]Expectation // by service: a number issued at At
}

// group is a booth group's services.
func group(service string) []string {
	if service == civil.ServicePickup {
		return civil.PickupBoothServices
	}
	return civil.OSSBoothServices
}

type waitingTicket struct {
	number, service string
}

// Forecast predicts the call of every waiting number of the office's day.
func (q *Service) Forecast(ctx context.Context, office string) (Forecast, error) {
	now := q.Clock.Now()
	day, err := q.Day(ctx, office, now)
	if err != nil {
		return Forecast{}, err
	}
	return q.forecast(ctx, q.Pool, office, day, now)
}

// Expect is the forecast for one waiting number ("" service: not waiting).
func (q *Service) Expect(ctx context.Context, office, number string) (Expectation, bool, error) {
	f, err := q.Forecast(ctx, office)
	if err != nil {
		return Expectation{}, false, err
	}
	e, ok := f.Numbers[number]
	return e, ok, nil
}

func (q *Service) forecast(ctx context.Context, db querier, office string, day, now time.Time) (Forecast, error) {
	f := Forecast{At: now, Numbers: map[string]Expectation{}, New: map[string]Expectation{}}
	rows, err := db.Query(ctx, `SELECT number, service FROM queue_tickets
		WHERE office = $1 AND day = $2 AND status = 'waiting'
		ORDER BY service <> 'priority', issued_at, id`, office, day)
	if err != nil {
		return f, err
	}
	var line []waitingTicket
	var w waitingTicket
	if _, err := pgx.ForEachRow(rows, []any{&w.number, &w.service}, func() error {
		line = append(line, w)
		return nil
	}); err != nil {
		return f, err
	}
	for _, g := range [][]string{civil.OSSBoothServices, civil.PickupBoothServices} {
		p, err := q.pace(ctx, db, office, day, now, g)
		if err != nil {
			return f, err
		}
		p.assign(f, line, g)
	}
	return f, nil
}

// pace is how a booth group works now: when each of its working booths is
// next free, and its turn time.
type pace struct {
	now  time.Time
	free []time.Time
	turn time.Duration
}

// pace reads the booths of group g and what they are doing.
func (q *Service) pace(ctx context.Context, db querier, office string, day, now time.Time, g []string) (pace, error) {
	p := pace{now: now}
	var err error
	if p.turn, _, err = q.turn(ctx, db, office, day, now, g); err != nil {
		return p, err
	}
	rows, err := db.Query(ctx, `SELECT b.number,
			(SELECT max(t.called_at) FROM queue_tickets t WHERE t.office = b.office AND t.day = $2 AND t.booth = b.number AND t.status = 'called'),
			(SELECT max(t.called_at) FROM queue_tickets t WHERE t.office = b.office AND t.day = $2 AND t.booth = b.number)
		FROM booths b WHERE b.office = $1 AND b.services && $3::text[]`, office, day, g)
	if err != nil {
		return p, err
	}
	var all []time.Time
	var booth int
	var serving, last *time.Time
	_, err = pgx.ForEachRow(rows, []any{&booth, &serving, &last}, func() error {
		all = append(all, now)
		switch {
		case serving != nil:
			p.free = append(p.free, later(serving.Add(p.turn), now))
		case last != nil && now.Sub(*last) <= ActiveWindow:
			p.free = append(p.free, now)
		}
		return nil
	})
	if len(p.free) == 0 {
		p.free = all
	}
	return p, err
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// assign gives the group's waiting numbers, in calling order, the
// soonest-free booth one after the other, and says when a number issued
// now would be called (a priority one waits behind priority numbers only).
func (p pace) assign(f Forecast, line []waitingTicket, g []string) {
	if len(p.free) == 0 {
		return // no booth serves this group: no forecast to give
	}
	var mine []waitingTicket
	priority := 0
	for _, t := range line {
		if slices.Contains(g, t.service) {
			mine = append(mine, t)
			if t.service == civil.ServicePriority {
				priority++
			}
		}
	}
	at := p.calls(len(mine) + 1)
	for i, t := range mine {
		f.Numbers[t.number] = p.expectation(t.number, t.service, i, at[i])
	}
	for _, svc := range g {
		n := len(mine)
		if svc == civil.ServicePriority {
			n = priority
		}
		f.New[svc] = p.expectation("", svc, n, at[n])
	}
}

// calls are the times of the group's next n calls.
func (p pace) calls(n int) []time.Time {
	free := slices.Clone(p.free)
	out := make([]time.Time, n)
	for k := range out {
		i := 0
		for j := range free {
			if free[j].Before(free[i]) {
				i = j
			}
		}
		out[k] = free[i]
		free[i] = free[i].Add(p.turn)
	}
	return out
}

func (p pace) expectation(number, service string, ahead int, at time.Time) Expectation {
	return Expectation{Number: number, Service: service, Ahead: ahead, CallAt: at,
		WaitMin: int(math.Ceil(at.Sub(p.now).Minutes()))}
}

type turnKey struct {
	office, group string
}

type turnEntry struct {
	turn     time.Duration
	measured bool // false: the default, too few finished tickets
	at       time.Time
}

// turn is the group's measured time per applicant (DefaultTurn until the
// office has finished at least 20 tickets in it).
func (q *Service) turn(ctx context.Context, db querier, office string, day, now time.Time, g []string) (time.Duration, bool, error) {
	k := turnKey{office, g[0]}
	if e, ok := q.turns.Load(k); ok && now.Sub(e.(turnEntry).at) < turnCacheFor && !now.Before(e.(turnEntry).at) {
		return e.(turnEntry).turn, e.(turnEntry).measured, nil
	}
	var n int
	var secs float64
	err := db.QueryRow(ctx, `SELECT count(*), coalesce(avg(extract(epoch FROM finished_at - called_at)), 0)
		FROM queue_tickets WHERE office = $1 AND day BETWEEN $2::date - $3::int AND $2 AND status = 'done'
		AND service = ANY($4) AND finished_at - called_at BETWEEN interval '20 seconds' AND interval '90 minutes'`,
		office, day, HistoryDays, g).Scan(&n, &secs)
	if err != nil {
		return 0, false, err
	}
	t := DefaultTurn
	if g[0] == civil.ServicePickup {
		t = DefaultPickupTurn
	}
	if n >= 20 {
		t = time.Duration(secs * float64(time.Second))
	}
	q.turns.Store(k, turnEntry{turn: t, measured: n >= 20, at: now})
	return t, n >= 20, nil
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// predict fills t's forecast inside the issuing transaction and keeps it on
// the ticket (predicted_call_at), with the phone to text when its turn is
// near ("" for a walk-in, who may ask for it at the kiosk).
func (q *Service) predict(ctx context.Context, tx pgx.Tx, t *Ticket, day, now time.Time, phone string) error {
	if err := q.expectInto(ctx, tx, t, day, now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE queue_tickets SET predicted_call_at = $2 WHERE id = $1`, t.ID, t.ExpectedCallAt); err != nil {
		return err
	}
	if phone == "" {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO queue_near (ticket_id, office, day, phone) VALUES ($1, $2, $3, $4)
		ON CONFLICT (ticket_id) DO NOTHING`, t.ID, t.Office, day, phone)
	return err
}

// expectInto fills t's forecast as of now.
func (q *Service) expectInto(ctx context.Context, db querier, t *Ticket, day, now time.Time) error {
	f, err := q.forecast(ctx, db, t.Office, day, now)
	if err != nil {
		return err
	}
	if e, ok := f.Numbers[t.Number]; ok {
		t.ExpectedWaitMin, t.ExpectedCallAt = &e.WaitMin, &e.CallAt
	}
	return nil
}

// Waits is the forecast in minutes: for each waiting number, and for a
// number issued now per service (what displays show).
func (q *Service) Waits(ctx context.Context, office string) (map[string]int, map[string]int, error) {
	f, err := q.Forecast(ctx, office)
	if err != nil {
		return nil, nil, err
	}
	numbers, fresh := map[string]int{}, map[string]int{}
	for n, e := range f.Numbers {
		numbers[n] = max(e.WaitMin, 0)
	}
	for s, e := range f.New {
		fresh[s] = max(e.WaitMin, 0)
	}
	return numbers, fresh, nil
}
