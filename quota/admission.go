package quota

import (
	"math/rand/v2"
	"time"

	"github.com/sppt/sppt/internal/db"
)

// BusyError is a booking refused by admission control (errors.Is ErrBusy):
// nothing was written, and RetryAfter says when to send it again (httpx
// puts it in the 503's Retry-After).
type BusyError struct{ Wait time.Duration }

func (e *BusyError) Error() string             { return ErrBusy.Error() }
func (e *BusyError) Is(target error) bool      { return target == ErrBusy || target == db.ErrSaturated }
func (e *BusyError) RetryAfter() time.Duration { return e.Wait }

// admission counts, per window of admitWindow, the requests refused (each
// will come back) and the requests taken into batches (what this process
// commits), so a refusal can say when to come back: a fixed Retry-After
// brought every refused phone back at once, and at 2,000 bookings/s
// offered the retries took the cores from the commits (201s fell from
// about 1,000/s to 400/s). Spread over the time the backlog needs at the
// rate batches are taken, the retries arrive at about that rate.
type admission struct {
	start                  time.Time
	refused, taken         int // this window
	lastRefused, lastTaken int // the window before
}

const admitWindow = 2 * time.Second

func (a *admission) roll(now time.Time) {
	if now.Sub(a.start) < admitWindow {
		return
	}
	if now.Sub(a.start) >= 2*admitWindow { // idle for a while: nothing carried over
		a.refused, a.taken = 0, 0
	}
	a.lastRefused, a.lastTaken, a.refused, a.taken, a.start = a.refused, a.taken, 0, 0, now
}

// retryAfter is a refused request's wait: uniform between 1 s and the
// seconds the recent refusals need at the recent commit rate (at least 2,
// at most 60), so the ones refused together do not return together.
func (a *admission) retryAfter() time.Duration {
	backlog := max(a.refused, a.lastRefused)
	rate := max(50, float64(max(a.taken, a.lastTaken))/admitWindow.Seconds()) // per second; a floor while starting
	spread := min(60, max(2, float64(backlog)/rate))
	return time.Second + time.Duration(rand.Float64()*(spread-1)*float64(time.Second))
}
