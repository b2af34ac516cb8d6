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

// FromEnv builds the clock for SPPT_NOW (RFC 3339), refusing it in production.
func FromEnv(sptNow, env string) (Clock, error) {
	if sptNow == "" {
		return System{}, nil
	}
	if env == "production" {
		return nil, fmt.Errorf("SPPT_NOW is refused when SPPT_ENV=production")
	}
	t, err := time.Parse(time.RFC3339, sptNow)
	if err != nil {
		return nil, fmt.Errorf("SPPT_NOW: want an RFC 3339 instant such as 2026-03-02T08:00:00+07:00: %w", err)
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
