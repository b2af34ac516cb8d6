package sms

import (
	"context"
	"errors"
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

// Reserve takes the next slot if it starts within Ahead and returns it;
// otherwise it returns ErrRateBusy and when a slot might be free.
func (l *RateLimiter) Reserve(ctx context.Context) (slot time.Time, retryAt time.Time, err error) {
	ahead := l.Ahead
	if ahead <= 0 {
		ahead = 2 * time.Second
	}
	now := time.Now()
	var granted *time.Time
	var next time.Time
	err = l.Pool.QueryRow(ctx, `WITH r AS (
			UPDATE sms_rate SET next_slot = GREATEST(next_slot, $1) + $2::interval
			WHERE id = 1 AND next_slot <= $3 RETURNING next_slot - $2::interval AS slot)
		SELECT (SELECT slot FROM r), (SELECT next_slot FROM sms_rate WHERE id = 1)`,
		now, l.interval(), now.Add(ahead)).Scan(&granted, &next)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if granted == nil {
		return time.Time{}, next.Add(-ahead), ErrRateBusy
	}
	return *granted, time.Time{}, nil
}

// Wait reserves a slot and sleeps until it. It gives up with ErrRateBusy
// after maxWait so the job can be snoozed instead of holding a worker.
func (l *RateLimiter) Wait(ctx context.Context, maxWait time.Duration) error {
	deadline := time.Now().Add(maxWait)
	for {
		slot, retryAt, err := l.Reserve(ctx)
		if err == nil {
			if err := sleepUntil(ctx, slot); err != nil {
				return err
			}
			// Woken too late (a stalled process): sending now could bunch
			// with the next slots' sends, so take a fresh slot instead.
			if time.Since(slot) <= lateTolerance {
				return nil
			}
			continue
		}
		if !errors.Is(err, ErrRateBusy) {
			return err
		}
		if retryAt.After(deadline) {
			return ErrRateBusy
		}
		if err := sleepUntil(ctx, retryAt); err != nil {
			return err
		}
	}
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
