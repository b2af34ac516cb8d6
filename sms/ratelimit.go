package sms

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// RateLimiter is ONE sending rate for the whole deployment, however many
// instances and workers send: each send reserves the next free time slot in
// the single row of sms_rate with a conditional UPDATE, then waits for it.
// Slots are 1/rate apart, so no second ever holds more than rate sends, and
// a reservation is a single-row write (thousands per second are cheap).
//
// Slots are physical time (time.Now), not SPPT's business clock: SPPT_NOW
// shifts what day it is, never how fast Twilio may be called.
type RateLimiter struct {
	Pool *pgxpool.Pool
	Rate float64 // messages per second (SMS_RATE_PER_SECOND)
	// Ahead bounds how far into the future a slot may be reserved, so a
	// worker never holds a job for long while it waits. Default 2 s.
	Ahead time.Duration

	rtt atomic.Int64 // a reservation's round trip, as seen lately (ns)
}

// ErrRateBusy means no slot within Ahead: the caller should retry later.
var ErrRateBusy = errors.New("sms: rate limit slots taken")

// jitterMargin spaces slots 3% wider than 1/rate: a send leaves at its
// slot but reaches Twilio a few milliseconds later or earlier than its
// neighbours (scheduling, network), and without the margin two such jitters
// can put rate+1 requests into one second as Twilio counts them.
const jitterMargin = 1.03

// lateTolerance is how late after its slot a send may still leave. Slots
// are 1.03/rate s apart, so rate+1 consecutive sends span 1.03 s: as long
// as no send leaves more than 30 ms after its slot, no second holds more
// than rate of them, whatever the rate. 20 ms leaves 10 ms for the network.
// (Half an interval, the bound before, is 2.5 ms at 200/s: a loaded machine
// wakes later than that all the time and the rate sagged.)
const lateTolerance = 20 * time.Millisecond

func (l *RateLimiter) interval() time.Duration {
	return time.Duration(jitterMargin * float64(time.Second) / l.Rate)
}

func (l *RateLimiter) ahead() time.Duration {
	if l.Ahead <= 0 {
		return 2 * time.Second
	}
	return l.Ahead
}

// Reserve takes the next slot if it starts within Ahead and returns it;
// otherwise it returns ErrRateBusy and when a slot might be free.
func (l *RateLimiter) Reserve(ctx context.Context) (slot time.Time, retryAt time.Time, err error) {
	return l.reserve(ctx, time.Now(), 0, l.ahead())
}

// reserve takes the first free slot at or after now+lead, if that slot
// starts within ahead of now.
func (l *RateLimiter) reserve(ctx context.Context, now time.Time, lead, ahead time.Duration) (slot time.Time, retryAt time.Time, err error) {
	var granted *time.Time
	var next time.Time
	err = l.Pool.QueryRow(ctx, `WITH r AS (
			UPDATE sms_rate SET next_slot = GREATEST(next_slot, $1) + $2::interval
			WHERE id = 1 AND GREATEST(next_slot, $1) <= $3 RETURNING next_slot - $2::interval AS slot)
		SELECT (SELECT slot FROM r), (SELECT next_slot FROM sms_rate WHERE id = 1)`,
		now.Add(lead), l.interval(), now.Add(ahead)).Scan(&granted, &next)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if granted == nil {
		return time.Time{}, next.Add(-ahead), ErrRateBusy
	}
	return *granted, time.Time{}, nil
}

// maxTries bounds the reservations of one Wait: each lost slot (woken too
// late) costs one, so a machine that keeps stalling gives the job back.
const maxTries = 8

// Wait reserves a slot and sleeps until it. It gives up with ErrRateBusy
// when no slot can be had within maxWait, or after maxTries lost slots, so
// the job can be snoozed instead of holding a worker; it never sleeps past
// maxWait.
//
// A slot is granted at GREATEST(next free slot, now + lead): lead is what
// this limiter has seen a reservation's round trip take, so that when the
// database answers slowly the slot is still ahead when the answer arrives
// (with no lead, every slot was already past by more than lateTolerance on
// arrival, and Wait retried for ever).
func (l *RateLimiter) Wait(ctx context.Context, maxWait time.Duration) error {
	deadline := time.Now().Add(maxWait)
	for range maxTries {
		start := time.Now()
		left := deadline.Sub(start)
		if left <= 0 {
			return ErrRateBusy
		}
		slot, retryAt, err := l.reserve(ctx, start, l.lead(), min(l.ahead(), left))
		l.observe(time.Since(start))
		switch {
		case err == nil:
			if err := sleepUntil(ctx, slot); err != nil {
				return err
			}
			// Woken too late (a stalled process, a slow answer): sending
			// now could bunch with the next slots' sends, so take a fresh
			// slot instead — further ahead, observe has raised the lead.
			if time.Since(slot) <= lateTolerance {
				return nil
			}
		case errors.Is(err, ErrRateBusy):
			if retryAt.After(deadline) {
				return ErrRateBusy
			}
			if err := sleepUntil(ctx, retryAt); err != nil {
				return err
			}
		default:
			return err
		}
	}
	return ErrRateBusy
}

// maxLead bounds the lead, whatever a stalled round trip measured.
const maxLead = time.Second

// observe records a reservation's round trip: at once when slower than
// before, slowly when faster, so one quick answer does not undo the lead.
func (l *RateLimiter) observe(d time.Duration) {
	old := time.Duration(l.rtt.Load())
	if d < old {
		d = old - (old-d)/8
	}
	l.rtt.Store(int64(min(d, maxLead)))
}

// lead is how far ahead of now a slot is asked for: the round trip, plus
// half the tolerance so that an answer as slow as the last still finds its
// slot ahead.
func (l *RateLimiter) lead() time.Duration {
	return time.Duration(l.rtt.Load()) + lateTolerance/2
}

func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
