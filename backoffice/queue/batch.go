package queue

// Calls are committed in groups. Every call appends to the office's audit
// chain, whose head row is locked until commit, and sends a NOTIFY, which
// PostgreSQL serialises at commit too: one transaction per call would let an
// office make only as many calls per second as it can commit one after the
// other. So the calls that arrive while a group is being committed wait and
// go together in the next transaction: one audit append, one commit, each
// call still claimed with FOR UPDATE SKIP LOCKED (so any number of
// instances can do the same). A group's claims go together too (see
// callBooths): a group takes a handful of round trips whatever its size, and
// its NOTIFYs are one statement. Up to CallCommitters groups are under way at
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
)

// MaxCallGroup bounds the calls committed in one transaction;
// CallCommitters the groups under way at once in one process. Two groups
// keep one group's claims running while the other holds the audit head and
// commits; more only make smaller groups that queue for that head. In
// bench/callnext (50 booths, 2 cores) 32/2 gave ratios 1.04–1.22 and 20/2
// 1.02–1.23, where 12/6 gave 0.71–0.76 and 50/2 0.95–0.98.
const (
	MaxCallGroup   = 32
	CallCommitters = 2
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
func (q *Service) CallNext(ctx context.Context, office string, booth int, actor string) (TicketCall, bool, error) {
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
func (q *Service) commitCalls() {
	for {
		q.callMu.Lock()
		group := takeGroup(&q.calls)
		if len(group) == 0 {
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
func (q *Service) commitGroup(group []*callRequest) []callResult {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	now := q.Clock.Now()
	results := make([]callResult, len(group))
	err := pgx.BeginFunc(ctx, q.Pool, func(tx pgx.Tx) error {
		// Booths are locked in one order (office, number) in every group, so
		// two groups holding calls of the same booth wait for each other
		// instead of deadlocking.
		order := make([]int, len(group))
		calls := make([]*boothCall, len(group))
		for i, r := range group {
			order[i] = i
			day, err := q.Day(ctx, r.office, now)
			if err != nil {
				return err
			}
			calls[i] = &boothCall{office: r.office, day: day, booth: r.booth}
		}
		sort.Slice(order, func(a, b int) bool {
			ra, rb := group[order[a]], group[order[b]]
			return ra.office < rb.office || ra.office == rb.office && ra.booth < rb.booth
		})
		sorted := make([]*boothCall, len(order))
		for k, i := range order {
			sorted[k] = calls[i]
		}
		if err := callBooths(ctx, tx, sorted, now); err != nil {
			return err
		}
		var entries []audit.Entry
		for _, i := range order {
			r, c := group[i], calls[i]
			switch {
			case !c.found:
				results[i] = callResult{err: ErrBoothNotFound}
			case c.number != "":
				call := TicketCall{Ticket: c.number, Booth: c.booth, Service: c.service, CalledAt: now}
				results[i] = callResult{call: call, ok: true}
				entries = append(entries, audit.Entry{Office: r.office, At: now, Actor: r.actor, Action: "queue.call",
					Subject: ticketSubject(r.office, c.day.Format(time.DateOnly), c.number), Data: map[string]any{"booth": c.booth, "service": c.service}})
			}
		}
		if len(entries) == 0 {
			return nil
		}
		// The NOTIFYs go first: they only queue until commit, so the audit
		// head (locked by Append until commit) is held for one round trip less.
		if err := publishCalls(ctx, tx, group, results, now); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, entries...); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		for i := range results {
			results[i] = callResult{err: err}
		}
		return results
	}
	for i, r := range results {
		if r.ok {
			q.nudge(group[i].office)
		}
	}
	return results
}

// publishCalls publishes a group's calls in one statement: the same events,
// in the same order, as one events.Publish per call would send.
func publishCalls(ctx context.Context, tx pgx.Tx, group []*callRequest, results []callResult, now time.Time) error {
	var evs []events.Outgoing
	for i, r := range results {
		if r.ok {
			evs = append(evs, events.Outgoing{Office: group[i].office, Type: "call", Data: r.call})
		}
	}
	return events.PublishMany(ctx, tx, evs, now)
}

// takeGroup takes from the front of calls up to MaxCallGroup calls, one per
// booth: a second call of a booth (a double click) stays for a later group,
// which finishes the ticket the first one called, as if they came one by one.
func takeGroup(calls *[]*callRequest) []*callRequest {
	type key struct {
		office string
		booth  int
	}
	var group, rest []*callRequest
	seen := map[key]bool{}
	for _, r := range *calls {
		k := key{r.office, r.booth}
		if len(group) == MaxCallGroup || seen[k] {
			rest = append(rest, r)
			continue
		}
		seen[k] = true
		group = append(group, r)
	}
	*calls = rest
	return group
}
