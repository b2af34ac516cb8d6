// Package ssetest is a test client of a Server-Sent Events stream: it
// connects, reads the events in the background and hands them out by type.
package ssetest

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Event is one event of the stream.
type Event struct{ Type, Data string }

// Feed is one connection to a stream.
type Feed struct {
	events chan Event
	cancel context.CancelFunc
}

// Open connects to url through c (nil: http.DefaultClient) and reads its
// events until the connection ends; it fails t unless the answer is a 200
// event stream. The connection is closed when t ends.
func Open(t testing.TB, c *http.Client, url string) *Feed {
	t.Helper()
	if c == nil {
		c = http.DefaultClient
	}
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := c.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		t.Fatalf("feed: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	f := &Feed{events: make(chan Event, 256), cancel: cancel}
	t.Cleanup(cancel)
	go f.read(resp)
	return f
}

func (f *Feed) read(resp *http.Response) {
	defer resp.Body.Close()
	defer close(f.events)
	r := bufio.NewReader(resp.Body)
	var ev Event
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, "event: "):
			ev.Type = line[7:]
		case strings.HasPrefix(line, "data: "):
			ev.Data = line[6:]
		case line == "" && ev.Type != "":
			f.events <- ev
			ev = Event{}
		}
	}
}

// Next waits for the next event of type typ, skipping others; ok is false
// when none came within the time or the connection ended.
func (f *Feed) Next(typ string, within time.Duration) (Event, bool) {
	deadline := time.After(within)
	for {
		select {
		case e, open := <-f.events:
			if !open {
				return Event{}, false
			}
			if e.Type == typ {
				return e, true
			}
		case <-deadline:
			return Event{}, false
		}
	}
}

// Must is Next, failing t when no such event came.
func (f *Feed) Must(t testing.TB, typ string, within time.Duration) Event {
	t.Helper()
	e, ok := f.Next(typ, within)
	if !ok {
		t.Fatalf("no %s event within %v (or the feed closed)", typ, within)
	}
	return e
}

// Any is the next event of any type, if one comes within the time.
func (f *Feed) Any(within time.Duration) (Event, bool) {
	select {
	case e, open := <-f.events:
		return e, open
	case <-time.After(within):
		return Event{}, false
	}
}

// Closed waits for the connection to end.
func (f *Feed) Closed(within time.Duration) bool {
	deadline := time.After(within)
	for {
		select {
		case _, open := <-f.events:
			if !open {
				return true
			}
		case <-deadline:
			return false
		}
	}
}
