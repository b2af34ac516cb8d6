package sms

import (
	"context"
	"sync"
	"time"

	"github.com/sppt/sppt/internal/idn"
)

// Inbound queries arrive in bursts (a broadcast's recipients asking KUOTA at
// once): these small caches keep per-request work to one database round
// trip. Both are per process and bounded.

// quotaTTL is how stale a KUOTA reply's seat counts may be: a second is
// nothing next to an SMS's own delivery time, and the booking page, not the
// reply, decides whether a seat is still free.
const quotaTTL = time.Second

type quotaKey struct {
	office string
	day    time.Time
}

type quotaEntry struct {
	ready chan struct{} // closed when q and err are set
	q     DayQuota
	err   error
	at    time.Time
}

// quotaCache holds day quotas for quotaTTL. Concurrent misses for one key
// share one read.
type quotaCache struct {
	mu sync.Mutex
	m  map[quotaKey]*quotaEntry
}

func (c *quotaCache) get(ctx context.Context, r QuotaReader, office string, day time.Time) (DayQuota, error) {
	k := quotaKey{office, day}
	c.mu.Lock()
	if c.m == nil || len(c.m) > 1000 {
		c.m = map[quotaKey]*quotaEntry{}
	}
	e, ok := c.m[k]
	if ok {
		select {
		case <-e.ready:
			if e.err != nil || time.Since(e.at) > quotaTTL {
				ok = false
			}
		default: // being read: wait for it below
		}
	}
	if !ok {
		e = &quotaEntry{ready: make(chan struct{})}
		c.m[k] = e
		c.mu.Unlock()
		e.q, e.err = r.DayQuota(ctx, office, day)
		e.at = time.Now()
		close(e.ready)
		return e.q, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.ready:
		return e.q, e.err
	case <-ctx.Done():
		return DayQuota{}, ctx.Err()
	}
}

type sender struct {
	e164, channel string
	ok            bool
}

// senderCache remembers how Twilio's From parsed (libphonenumber's parse is
// the costliest step of a reply); it forgets everything when full.
type senderCache struct {
	mu sync.Mutex
	m  map[string]sender
}

const senderCacheSize = 50_000

func (c *senderCache) parse(from string) (e164, channel string, ok bool) {
	c.mu.Lock()
	s, hit := c.m[from]
	c.mu.Unlock()
	if hit {
		return s.e164, s.channel, s.ok
	}
	e, ch, err := idn.ParseSender(from)
	s = sender{e164: e, channel: ch, ok: err == nil}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= senderCacheSize {
		c.m = make(map[string]sender)
	}
	c.m[from] = s
	c.mu.Unlock()
	return s.e164, s.channel, s.ok
}
