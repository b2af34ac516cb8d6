package faults

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

type sseEvent struct{ Type, Data string }

// feed is one display's connection to an office's feed.
type feed struct {
	events chan sseEvent
	cancel context.CancelFunc
}

// openFeed connects to url (through c) and reads its events until the
// connection ends, when events is closed.
func openFeed(t *testing.T, c *http.Client, url string) *feed {
	t.Helper()
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
	f := &feed{events: make(chan sseEvent, 256), cancel: cancel}
	t.Cleanup(cancel)
	go func() {
		defer resp.Body.Close()
		defer close(f.events)
		r := bufio.NewReader(resp.Body)
		var ev sseEvent
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
				ev = sseEvent{}
			}
		}
	}()
	return f
}

// next waits for the next event of type typ, skipping others; ok is false
// when none came within the time or the connection ended.
func (f *feed) next(typ string, within time.Duration) (sseEvent, bool) {
	deadline := time.After(within)
	for {
		select {
		case e, ok := <-f.events:
			if !ok {
				return sseEvent{}, false
			}
			if e.Type == typ {
				return e, true
			}
		case <-deadline:
			return sseEvent{}, false
		}
	}
}

// closed waits for the connection to end.
func (f *feed) closed(within time.Duration) bool {
	deadline := time.After(within)
	for {
		select {
		case _, ok := <-f.events:
			if !ok {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

// cutter is a TCP relay to a server whose connections can be cut at once,
// as a display's network going away does to its feed.
type cutter struct {
	ln    net.Listener
	to    string
	mu    sync.Mutex
	conns []net.Conn
}

func newCutter(t *testing.T, to string) *cutter {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &cutter{ln: ln, to: to}
	t.Cleanup(func() { ln.Close(); c.cut() })
	go c.accept()
	return c
}

func (c *cutter) URL() string { return "http://" + c.ln.Addr().String() }

func (c *cutter) accept() {
	for {
		in, err := c.ln.Accept()
		if err != nil {
			return
		}
		out, err := net.Dial("tcp", c.to)
		if err != nil {
			in.Close()
			continue
		}
		c.mu.Lock()
		c.conns = append(c.conns, in, out)
		c.mu.Unlock()
		go func() { _, _ = io.Copy(out, in); out.Close() }()
		go func() { _, _ = io.Copy(in, out); in.Close() }()
	}
}

// cut closes every connection through the relay, both sides, mid-stream.
func (c *cutter) cut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, conn := range c.conns {
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // a reset, not a polite close
		}
		conn.Close()
	}
	c.conns = nil
}
