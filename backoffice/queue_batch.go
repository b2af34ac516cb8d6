package backoffice

// Calls are committed in groups. Every call appends to the office's audit
// chain, whose head row is locked until commit, and sends a NOTIFY, which
// PostgreSQL serialises at commit too: one transaction per call would let an
// office make only as many calls per second as it can commit one after the
// other. So the calls that arrive while a group is being committed wait and
// go together in the next transaction: one audit append, one commit, each
// call still claimed with FOR UPDATE SKIP LOCKED (so any number of
// instances can do the same). Up to CallCommitters groups are under way at
// once: their claims run side by side, only their audit appends and commits
// take turns (the audit head is locked last, after the booths, so groups
// cannot deadlock). No goroutine runs while nobody calls.

import (
	"context"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/events"
	"github.com/sppt/sppt/internal/httpx"
)

// MaxCallGroup bounds the calls committed in one transaction;
// CallCommitters the groups under way at once in one process.
const (
	MaxCallGroup   = 8
	CallCommitters = 8
)

type callRequest struct {
	office, actor string
	booth         int
	done          chan callResult
}

type callResult struct {
	call TicketCall
	ok   bool
	err  error
}

// CallNext finishes the booth's current ticket (if any) and calls the next
// one; ok is false when nobody waits for this booth.
func (q *Queue) CallNext(ctx context.Context, office string, booth int, actor string) (TicketCall, bool, error) {
	if _, err := q.Location(ctx, office); err != nil {
		return TicketCall{}, false, err
	}
	req := &callRequest{office: office, booth: booth, actor: actor, done: make(chan callResult, 1)}
	q.callMu.Lock()
	q.calls = append(q.calls, req)
	if q.calling < CallCommitters {
		q.calling++
		go q.commitCalls()
	}
	q.callMu.Unlock()
	select {
	case r := <-req.done:
		return r.call, r.ok, r.err
	case <-ctx.Done():
		return TicketCall{}, false, ctx.Err()
	}
}

// commitCalls commits waiting calls group by group until none is left.
func (q *Queue) commitCalls() {
	for {
		q.callMu.Lock()
		n := min(len(q.calls), MaxCallGroup)
		group := q.calls[:n:n]
		q.calls = q.calls[n:]
		if n == 0 {
			q.calling--
			q.callMu.Unlock()
			return
		}
		q.callMu.Unlock()
		results := q.commitGroup(group)
		for i, r := range group {
			r.done <- results[i]
		}
	}
}

// commitGroup makes a group's calls in one transaction. A call's own
// problem (an unknown booth, nobody waiting) is its answer alone; a database
// error fails the whole group.
func (q *Queue) commitGroup(group []*callRequest) []callResult {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	now := q.Clock.Now()
	results := make([]callResult, len(group))
	err := pgx.BeginFunc(ctx, q.Pool, func(tx pgx.Tx) error {
		var entries []audit.Entry
		// Booths are locked in one order (office, number) in every group, so
		// two groups holding calls of the same booth (a double click) wait
		// for each other instead of deadlocking.
		order := make([]int, len(group))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool {
			ra, rb := group[order[a]], group[order[b]]
			return ra.office < rb.office || ra.office == rb.office && ra.booth < rb.booth
		})
		for _, i := range order {
			r := group[i]
			day, err := q.Day(ctx, r.office, now)
			if err != nil {
				return err
			}
			c, ok, err := callNext(ctx, tx, r.office, day, r.booth, now)
			if _, mine := httpx.As(err); mine {
				results[i] = callResult{err: err}
				continue
			}
			if err != nil {
				return err
			}
			results[i] = callResult{call: c, ok: ok}
			if ok {
				entries = append(entries, audit.Entry{Office: r.office, At: now, Actor: r.actor, Action: "queue.call",
					Subject: ticketSubject(r.office, day.Format(time.DateOnly), c.Ticket), Data: map[string]any{"booth": c.Booth, "service": c.Service}})
			}
		}
		if len(entries) == 0 {
			return nil
		}
		if err := audit.Append(ctx, tx, entries...); err != nil {
			return err
		}
		for i, r := range results {
			if r.ok {
				if err := events.Publish(ctx, tx, group[i].office, "call", r.call, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		for i := range results {
			results[i] = callResult{err: err}
		}
	}
	return results
}
