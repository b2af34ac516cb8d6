package devices_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
)

// 09:00 WIB on Monday 2 March 2026.
var monday = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	d, _ := time.Parse(time.DateOnly, s)
	return d
}

// setQuota writes an office-day's capacities with SQL (tests only).
func setQuota(t *testing.T, in *apptest.Instance, office, date string, walkin, priority int) {
	t.Helper()
	_, err := in.Pool.Exec(context.Background(), `INSERT INTO quota_days (office, day, online_capacity, online_booked, walkin_capacity,
		priority_capacity, released_at, updated_at) VALUES ($1, $2, 100, 1, $3, $4, $5, $5)
		ON CONFLICT (office, day) DO UPDATE SET walkin_capacity = $3, priority_capacity = $4`, office, day(date), walkin, priority, in.App.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
}

// addBooking inserts a booked booking with SQL (tests only; the quota
// package's own tests cover how bookings are made).
func addBooking(t *testing.T, in *apptest.Instance, code, office, date, service, nik string) {
	t.Helper()
	_, err := in.Pool.Exec(context.Background(), `INSERT INTO bookings (code, office, day, service, nik, full_name, birth_date, sex,
		phone, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'Siti Aminah', '1990-10-20', 'F', '+6281234567890', 'booked', $6, $6)`,
		code, office, day(date), service, nik, in.App.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
}

// sse is a test client of an event stream.
type sse struct {
	events chan sseEvent
	cancel context.CancelFunc
}

type sseEvent struct{ Type, Data string }

func openFeed(t *testing.T, url string) *sse {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		t.Fatalf("feed: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := &sse{events: make(chan sseEvent, 100), cancel: cancel}
	t.Cleanup(cancel)
	go func() {
		defer resp.Body.Close()
		defer close(s.events)
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
				s.events <- ev
				ev = sseEvent{}
			}
		}
	}()
	return s
}

// next waits for the next event of type typ, skipping others.
func (s *sse) next(t *testing.T, typ string, within time.Duration) sseEvent {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case e, ok := <-s.events:
			if !ok {
				t.Fatalf("feed closed while waiting for %s", typ)
			}
			if e.Type == typ {
				return e
			}
		case <-deadline:
			t.Fatalf("no %s event within %v", typ, within)
		}
	}
}
