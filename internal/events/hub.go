package events

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Hub is the process's single LISTEN connection and its in-memory fan-out.
type Hub struct {
	pool *pgxpool.Pool
	log  *slog.Logger

	mu      sync.RWMutex
	subs    map[*Sub]struct{}
	ready   chan struct{}
	once    sync.Once
	dropped atomic.Uint64 // events a slow subscriber missed
}

// Sub is one subscriber. C is closed when the subscriber is removed.
type Sub struct {
	Office string // "" for every office
	C      chan Event
	hub    *Hub
}

func NewHub(pool *pgxpool.Pool, log *slog.Logger) *Hub {
	return &Hub{pool: pool, log: log, subs: map[*Sub]struct{}{}, ready: make(chan struct{})}
}

// Subscribe registers a subscriber with a buffer of n events.
func (h *Hub) Subscribe(office string, n int) *Sub {
	s := &Sub{Office: office, C: make(chan Event, n), hub: h}
	h.mu.Lock()
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	return s
}

// Close removes the subscriber.
func (s *Sub) Close() {
	h := s.hub
	h.mu.Lock()
	if _, ok := h.subs[s]; ok {
		delete(h.subs, s)
		close(s.C)
	}
	h.mu.Unlock()
}

// Ready is closed once the LISTEN connection is established the first time.
func (h *Hub) Ready() <-chan struct{} { return h.ready }

// Run listens until ctx ends, reconnecting after connection loss.
func (h *Hub) Run(ctx context.Context) {
	for ctx.Err() == nil {
		err := h.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		h.log.Warn("event listener lost its connection; reconnecting", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (h *Hub) listen(ctx context.Context) error {
	conn, err := h.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The connection carries LISTEN state; never hand it back to the pool.
	pc := conn.Hijack()
	defer pc.Close(context.WithoutCancel(ctx))
	if _, err := pc.Exec(ctx, "LISTEN "+Channel); err != nil {
		return err
	}
	first := false
	h.once.Do(func() { close(h.ready); first = true })
	if !first {
		// NOTIFYs sent while no LISTEN connection was up are gone: tell every
		// subscriber to read the state afresh.
		h.deliver(Event{Type: Resync, At: time.Now()}, true)
	}
	for {
		n, err := pc.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var e Event
		if err := json.Unmarshal([]byte(n.Payload), &e); err != nil {
			h.log.Error("undecodable event", "err", err)
			continue
		}
		h.Deliver(e)
	}
}

// Deliver fans an event out without blocking: a subscriber whose buffer is
// full misses it (and a snapshot on reconnect brings it back up to date).
func (h *Hub) Deliver(e Event) { h.deliver(e, false) }

// Resync is the event every subscriber gets after the LISTEN connection
// came back: events may have been missed, read the state again.
const Resync = "resync"

func (h *Hub) deliver(e Event, everyone bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.subs {
		if !everyone && s.Office != "" && s.Office != e.Office {
			continue
		}
		select {
		case s.C <- e:
		default:
			h.dropped.Add(1)
		}
	}
}

// Dropped counts events that slow subscribers missed.
func (h *Hub) Dropped() uint64 { return h.dropped.Load() }
