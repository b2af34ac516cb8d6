package queue

// Calling tickets. Each booth calls, among the waiting tickets of the
// services it serves (and those transferred to it), in issue order:
//
//  1. Priority first. A booth that serves the priority group (D) calls the
//     oldest waiting D ticket before any other.
//  2. Nobody starves. After PriorityStreak consecutive D calls at a booth, its
//     next call goes to the oldest non-D ticket it serves if that ticket has
//     waited at least StarvationWait; then the streak starts again. With
//     the defaults (3, 10 minutes) a booth serves at most three priority
//     applicants in a row while anyone else has waited ten minutes or more.
//  3. Otherwise First In First Served by issue time.
//
// Two booths never get the same ticket, on any number of instances: the
// candidate row is claimed with FOR UPDATE SKIP LOCKED and the claim commits
// in the same transaction as its audit entry and its "call" event.

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/events"
	"github.com/sppt/sppt/internal/httpx"
)

// The anti-starvation rule (see the top of this file).
var (
	PriorityStreak = 3
	StarvationWait = 10 * time.Minute
)

// MaxRecalls is how often a booth may call its ticket again.
const MaxRecalls = 3

// Errors of booth actions.
var (
	ErrBoothNotFound   = errors.New("queue: no such booth")
	ErrNoCurrentTicket = errors.New("queue: the booth is serving no ticket")
	ErrRecallLimit     = errors.New("queue: the ticket was recalled as often as allowed")
)

type boothRow struct {
	services []string
	streak   int
}

func lockBooth(ctx context.Context, tx pgx.Tx, office string, booth int) (boothRow, error) {
	var b boothRow
	err := tx.QueryRow(ctx, `SELECT services, priority_streak FROM booths WHERE office = $1 AND number = $2 FOR UPDATE`,
		office, booth).Scan(&b.services, &b.streak)
	if errors.Is(err, pgx.ErrNoRows) {
		return b, ErrBoothNotFound
	}
	return b, err
}

// claimSQL claims, in one statement, the oldest waiting ticket matching
// cond (service, $3) issued by $4 that booth $5 may take, marks it called at
// $6 and moves the booth's priority streak ($1 office, $2 day). The candidate
// is locked with FOR UPDATE SKIP LOCKED, so two booths never get the same
// ticket; extra (an SQL condition) is ANDed to the candidate's WHERE.
func claimSQL(cond, extra string) string {
	return `WITH c AS (UPDATE queue_tickets SET status = 'called', booth = $5, called_at = $6, target_booth = NULL, recalls = 0
			WHERE id = (SELECT t.id FROM queue_tickets t
				WHERE t.office = $1 AND t.day = $2 AND t.status = 'waiting' AND ` + cond + ` AND t.issued_at <= $4
				AND (t.target_booth IS NULL OR t.target_booth = $5)` + extra + `
				ORDER BY t.issued_at, t.id LIMIT 1 FOR UPDATE OF t SKIP LOCKED)
			RETURNING number, service),
		s AS (UPDATE booths b SET priority_streak = CASE WHEN c.service = 'priority' THEN b.priority_streak + 1 ELSE 0 END
			FROM c WHERE b.office = $1 AND b.number = $5 AND (c.service = 'priority' OR b.priority_streak <> 0))
		SELECT number, service FROM c`
}

// The priority-first claim of rule 1: only when the booth serves D and its
// streak is below PriorityStreak ($7).
var claimPrioritySQL = claimSQL(`t.service = $3`,
	` AND EXISTS (SELECT 1 FROM booths b WHERE b.office = $1 AND b.number = $5 AND 'priority' = ANY(b.services) AND b.priority_streak < $7)`)

// boothCall is one booth's call inside a group (queue_batch.go): the booth
// as locked, and the ticket claimed for it (number "": nobody waits).
type boothCall struct {
	office  string
	day     time.Time
	booth   int
	b       boothRow
	found   bool
	number  string
	service string
	tries   []claimTry
}

// claimTry is one step of the rule at the top of this file: the oldest
// waiting ticket of services issued by before.
type claimTry struct {
	services []string
	before   time.Time
}

// callBooths finishes each booth's current ticket (if any) and claims its
// next one inside tx, all booths of a group together: one round trip locks
// the booths (in the order given), finishes what they were serving and
// claims the oldest priority ticket where rule 1 applies; then one round
// trip per further step of the rule, for the booths still without a ticket.
// A group holds each booth at most once. The caller audits and publishes.
func callBooths(ctx context.Context, tx pgx.Tx, calls []*boothCall, now time.Time) error {
	batch := &pgx.Batch{}
	for _, c := range calls {
		batch.Queue(`SELECT services, priority_streak FROM booths WHERE office = $1 AND number = $2 FOR UPDATE`, c.office, c.booth).
			QueryRow(func(row pgx.Row) error {
				// A missing booth is that call's answer alone: never fail the batch
				// (its later callbacks would be skipped while their claims ran).
				err := row.Scan(&c.b.services, &c.b.streak)
				c.found = err == nil
				if errors.Is(err, pgx.ErrNoRows) {
					return nil
				}
				return err
			})
		batch.Queue(`UPDATE queue_tickets SET status = 'done', finished_at = $4
			WHERE office = $1 AND day = $2 AND booth = $3 AND status = 'called'`, c.office, c.day, c.booth, now)
		batch.Queue(claimPrioritySQL, c.office, c.day, "priority", now, c.booth, now, PriorityStreak).
			QueryRow(c.scanClaim)
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return err
	}
	for _, c := range calls {
		if c.found && c.number == "" {
			c.tries = nextTries(c.b, now)
		}
	}
	for step := 0; ; step++ {
		batch = &pgx.Batch{}
		for _, c := range calls {
			if !c.found || c.number != "" || step >= len(c.tries) {
				continue
			}
			t := c.tries[step]
			// One group is asked with "=" so the planner takes the per-service
			// index: "is a D ticket waiting?" must not scan the whole queue.
			cond, arg := `t.service = ANY($3)`, any(t.services)
			if len(t.services) == 1 {
				cond, arg = `t.service = $3`, t.services[0]
			}
			batch.Queue(claimSQL(cond, ""), c.office, c.day, arg, t.before, c.booth, now).QueryRow(c.scanClaim)
		}
		if batch.Len() == 0 {
			return nil
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
	}
}

func (c *boothCall) scanClaim(row pgx.Row) error {
	if err := row.Scan(&c.number, &c.service); !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	return nil
}

// nextTries lists the steps of the rule at the top of this file that are
// left when the priority-first claim found nothing.
func nextTries(b boothRow, now time.Time) []claimTry {
	others := slices.DeleteFunc(slices.Clone(b.services), func(s string) bool { return s == "priority" })
	servesPriority := len(others) < len(b.services)
	var order []claimTry
	if servesPriority && b.streak >= PriorityStreak && len(others) > 0 {
		order = append(order, claimTry{others, now.Add(-StarvationWait)})
	}
	if servesPriority && b.streak >= PriorityStreak { // below the streak, callBooths has asked already
		order = append(order, claimTry{[]string{"priority"}, now})
	}
	if len(others) > 0 {
		order = append(order, claimTry{others, now})
	}
	return order
}

// ticketCalled audits a call and publishes it to every display.
func ticketCalled(ctx context.Context, tx pgx.Tx, office string, day time.Time, c TicketCall, actor, action string) error {
	if err := audit.Append(ctx, tx, audit.Entry{Office: office, At: c.CalledAt, Actor: actor, Action: action,
		Subject: ticketSubject(office, day.Format(time.DateOnly), c.Ticket), Data: map[string]any{"booth": c.Booth, "service": c.Service}}); err != nil {
		return err
	}
	return events.Publish(ctx, tx, office, "call", c, c.CalledAt)
}

// Recall calls the booth's current ticket again, at most MaxRecalls times.
func (q *Service) Recall(ctx context.Context, office string, booth int, actor string) (TicketCall, error) {
	now := q.Clock.Now()
	day, err := q.Day(ctx, office, now)
	if err != nil {
		return TicketCall{}, err
	}
	c := TicketCall{Booth: booth, CalledAt: now, Recall: true}
	err = pgx.BeginFunc(ctx, q.Pool, func(tx pgx.Tx) error {
		if _, err := lockBooth(ctx, tx, office, booth); err != nil {
			return err
		}
		var recalls int
		err := tx.QueryRow(ctx, `SELECT number, service, recalls FROM queue_tickets
			WHERE office = $1 AND day = $2 AND booth = $3 AND status = 'called' FOR UPDATE`, office, day, booth).Scan(&c.Ticket, &c.Service, &recalls)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoCurrentTicket
		}
		if err != nil {
			return err
		}
		if recalls >= MaxRecalls {
			return ErrRecallLimit
		}
		if _, err := tx.Exec(ctx, `UPDATE queue_tickets SET recalls = recalls + 1, called_at = $4
			WHERE office = $1 AND day = $2 AND number = $3`, office, day, c.Ticket, now); err != nil {
			return err
		}
		return ticketCalled(ctx, tx, office, day, c, actor, "queue.recall")
	})
	return c, err
}

// Finish ends the booth's current ticket as done (served) or no_show.
func (q *Service) Finish(ctx context.Context, office string, booth int, status, actor string) (string, error) {
	now := q.Clock.Now()
	day, err := q.Day(ctx, office, now)
	if err != nil {
		return "", err
	}
	var number, service string
	err = pgx.BeginFunc(ctx, q.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE queue_tickets SET status = $4, finished_at = $5
			WHERE office = $1 AND day = $2 AND booth = $3 AND status = 'called' RETURNING number, service`,
			office, day, booth, status, now).Scan(&number, &service)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoCurrentTicket
		}
		if err != nil {
			return err
		}
		return ticketChanged(ctx, tx, office, day, number, service, status, booth, actor, now)
	})
	return number, err
}

// Transfer sends the booth's current ticket back to the waiting line for
// another booth (toBooth > 0) and/or another service (toService != ""),
// keeping its number and its issue time, so it keeps its place.
func (q *Service) Transfer(ctx context.Context, office string, booth, toBooth int, toService, actor string) (string, error) {
	now := q.Clock.Now()
	day, err := q.Day(ctx, office, now)
	if err != nil {
		return "", err
	}
	v := httpx.Invalid()
	if toService != "" && !slices.Contains(civil.Services, toService) {
		v.Field("service", "queue.field.service")
	}
	if toBooth <= 0 && toService == "" {
		v.Field("booth", "queue.field.transfer_target")
	}
	if err := v.OrNil(); err != nil {
		return "", err
	}
	var number, service string
	err = pgx.BeginFunc(ctx, q.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT number, service FROM queue_tickets
			WHERE office = $1 AND day = $2 AND booth = $3 AND status = 'called' FOR UPDATE`, office, day, booth).Scan(&number, &service)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoCurrentTicket
		}
		if err != nil {
			return err
		}
		if toService != "" {
			service = toService
		}
		var target *int
		if toBooth > 0 {
			var serves bool
			err := tx.QueryRow(ctx, `SELECT $3 = ANY(services) FROM booths WHERE office = $1 AND number = $2`, office, toBooth, service).Scan(&serves)
			if errors.Is(err, pgx.ErrNoRows) || err == nil && !serves {
				return httpx.Invalid().Field("booth", "queue.field.booth_serves", "service", service)
			}
			if err != nil {
				return err
			}
			target = &toBooth
		}
		if _, err := tx.Exec(ctx, `UPDATE queue_tickets SET status = 'waiting', booth = NULL, called_at = NULL, recalls = 0,
			service = $4, target_booth = $5 WHERE office = $1 AND day = $2 AND number = $3`, office, day, number, service, target); err != nil {
			return err
		}
		return ticketChanged(ctx, tx, office, day, number, service, "transferred", booth, actor, now)
	})
	return number, err
}

// ticketChanged audits a finish or transfer and tells booth screens and displays.
func ticketChanged(ctx context.Context, tx pgx.Tx, office string, day time.Time, number, service, action string, booth int, actor string, now time.Time) error {
	if err := audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "queue." + action,
		Subject: ticketSubject(office, day.Format(time.DateOnly), number), Data: map[string]any{"booth": booth, "service": service}}); err != nil {
		return err
	}
	return events.Publish(ctx, tx, office, "ticket", map[string]any{"ticket": number, "service": service, "action": action, "booth": booth, "at": now}, now)
}
