// Package clock is the one source of "now" for SPPT. Business times are taken
// from here and passed into SQL, never from the database's now(), so that
// SPPT_NOW shifts the server, its jobs, its schedules and the CLI alike.
package clock

import (
	"fmt"
	"sync"
	"time"
)

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// System is the real wall clock.
type System struct{}

func (System) Now() time.Time { return time.Now() }

// Offset is a clock that started at a given instant and runs on at real speed.
type Offset struct{ d time.Duration }

func (o Offset) Now() time.Time { return time.Now().Add(o.d) }

// StartingAt returns a clock that reads start now and then advances in real time.
func StartingAt(start time.Time) Offset { return Offset{d: time.Until(start)} }

// Scaled reads sim0 at the real instant real0 and runs on at rate times
// real speed: an office day in minutes, for simulations and demos. skew
// turns this host's clock into the reference clock real0 was read from.
type Scaled struct {
	sim0, real0 time.Time
	rate        float64
	skew        time.Duration
}

// ScaledFrom reads start now and runs on at rate times real speed.
func ScaledFrom(start time.Time, rate float64) Scaled {
	return Scaled{sim0: start, real0: time.Now(), rate: rate}
}

func (s Scaled) Now() time.Time {
	real := time.Now().Add(s.skew).Sub(s.real0)
	return s.sim0.Add(time.Duration(float64(real) * s.rate))
}

// Rate is how many simulated seconds pass in one real second.
func (s Scaled) Rate() float64 { return s.rate }

// RateOf is c's speed against real time: 1 unless c is Scaled.
func RateOf(c Clock) float64 {
	if s, ok := c.(Scaled); ok {
		return s.rate
	}
	return 1
}

// parseNow checks SPPT_NOW and SPPT_CLOCK_RATE.
func parseNow(sptNow string, rate float64, env string) (time.Time, error) {
	if env == "production" {
		return time.Time{}, fmt.Errorf("SPPT_NOW is refused when SPPT_ENV=production")
	}
	t, err := time.Parse(time.RFC3339, sptNow)
	if err != nil {
		return t, fmt.Errorf("SPPT_NOW: want an RFC 3339 instant such as 2026-03-02T08:00:00+07:00: %w", err)
	}
	if rate <= 0 {
		return t, fmt.Errorf("SPPT_CLOCK_RATE: want a number above 0, got %v", rate)
	}
	return t, nil
}

// FromEnv builds one process's clock for SPPT_NOW (RFC 3339), refusing it in
// production. Processes of one deployment use Join instead, so that they
// share one timeline.
func FromEnv(sptNow, env string) (Clock, error) {
	if sptNow == "" {
		return System{}, nil
	}
	t, err := parseNow(sptNow, 1, env)
	if err != nil {
		return nil, err
	}
	return StartingAt(t), nil
}

// Fake is a settable clock for tests.
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

func NewFake(t time.Time) *Fake { return &Fake{t: t} }

func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	f.t = t
	f.mu.Unlock()
}

func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

// Held reads one instant until Run, then runs on from it at a rate: a
// simulation's servers start (which takes real seconds, many simulated
// minutes at a high rate) before its day does.
type Held struct {
	mu      sync.Mutex
	at      time.Time
	running *Scaled
}

func NewHeld(at time.Time) *Held { return &Held{at: at} }

func (h *Held) Now() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.running != nil {
		return h.running.Now()
	}
	return h.at
}

// Run starts the clock from its instant at rate times real speed.
func (h *Held) Run(rate float64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.running == nil {
		s := ScaledFrom(h.at, rate)
		h.running = &s
	}
}
