package devices

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/events"

	"github.com/sppt/sppt/internal/httpx"
)

// feedEvents are the event types a display feed forwards.
var feedEvents = map[string]bool{"call": true, "quota": true, "text": true, "ticket": true}

// FeedBuffer is how many events one feed may fall behind before it misses some.
const FeedBuffer = 256

func (s *Service) apiQueue(c fiber.Ctx) error {
	st, err := s.Queue.State(c.Context(), officeParam(c))
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// apiFeed streams an office's live events. It subscribes to the process's
// hub before reading the snapshot, so nothing committed in between is lost
// (at worst an event repeats what the snapshot says).
//
// The stream is written straight to the hijacked connection: one goroutine
// per display and no pipe in between (fasthttp's body-stream writer would
// add a goroutine and a pipe per client), and shutdown does not wait for it.
func (s *Service) apiFeed(c fiber.Ctx) error {
	office := officeParam(c)
	sub := s.Hub.Subscribe(office, FeedBuffer)
	st, err := s.Queue.State(c.Context(), office)
	if err != nil {
		sub.Close()
		return err
	}
	snap, err := json.Marshal(st)
	if err != nil {
		sub.Close()
		return err
	}
	rc := c.RequestCtx()
	rc.Request.Header.ResetConnectionClose() // fasthttp hijacks no connection that asked to close
	rc.HijackSetNoResponse(true)
	// A fresh snapshot after the hub's LISTEN connection came back (events
	// sent meanwhile are lost); the request's context is gone by then.
	resnap := func() ([]byte, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		st, err := s.Queue.State(ctx, office)
		if err != nil {
			return nil, err
		}
		return json.Marshal(st)
	}
	rc.Hijack(func(conn net.Conn) {
		defer sub.Close()
		s.stream(conn, sub, snap, resnap)
	})
	return nil
}

// WriteTimeout drops a display that stops reading.
const WriteTimeout = 10 * time.Second

func (s *Service) stream(conn net.Conn, sub *events.Sub, snap []byte, resnap func() ([]byte, error)) {
	beat := s.Heartbeat
	if beat <= 0 || beat > 15*time.Second {
		beat = 10 * time.Second
	}
	w := bufio.NewWriterSize(conn, 2048)
	flush := func() bool {
		_ = conn.SetWriteDeadline(time.Now().Add(WriteTimeout))
		return w.Flush() == nil
	}
	w.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n" +
		"X-Accel-Buffering: no\r\nConnection: close\r\n\r\n")
	fmt.Fprintf(w, "retry: 2000\nevent: snapshot\ndata: %s\n\n", snap)
	if !flush() {
		return
	}
	tick := time.NewTicker(beat)
	defer tick.Stop()
	stop := s.stopped()
	for {
		select {
		case e, ok := <-sub.C:
			if !ok {
				return
			}
			if e.Type == events.Resync {
				b, err := resnap()
				if err != nil {
					return // the display reconnects and gets its snapshot then
				}
				e.Type, e.Data = "snapshot", b
			} else if !feedEvents[e.Type] {
				continue
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, e.Data)
		case <-tick.C:
			w.WriteString(": ping\n\n")
		case <-stop:
			return
		}
		if !flush() { // the display has gone
			return
		}
	}
}

// apiRunningText is one plain line for LED controllers.
func (s *Service) apiRunningText(c fiber.Ctx) error {
	st, err := s.Queue.State(c.Context(), officeParam(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
	return c.SendString(s.runningLine(httpx.Lang(c), st) + "\n")
}

// runningLine is office, date, quota, remaining, now serving and the
// office's own message, in one line.
func (s *Service) runningLine(lang string, st State) string {
	cat := s.Pages.Catalog()
	parts := []string{st.Office + " " + st.OfficeName, st.Date}
	if q, ok := quotaOf(st.Quota); ok {
		parts = append(parts, cat.T(lang, "queue.rt.online", "capacity", q.Online.Capacity, "remaining", q.Online.Remaining),
			cat.T(lang, "queue.rt.walkin", "capacity", q.Walkin.Capacity, "remaining", q.Walkin.Remaining))
	}
	if len(st.Serving) > 0 {
		var now []string
		for _, call := range st.Serving {
			now = append(now, cat.T(lang, "queue.rt.call", "ticket", call.Ticket, "booth", call.Booth))
		}
		parts = append(parts, cat.T(lang, "queue.rt.serving", "list", strings.Join(now, ", ")))
	} else {
		parts = append(parts, cat.T(lang, "queue.rt.none"))
	}
	if st.RunningText != "" {
		parts = append(parts, st.RunningText)
	}
	line := strings.Join(parts, " | ")
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(line)
}

// quotaCounts mirrors the "quota" event's data.
type quotaCounts struct {
	Date   string `json:"date"`
	Online struct {
		Capacity, Booked, Remaining int
	} `json:"online"`
	Walkin struct {
		Capacity, Issued, Remaining int
	} `json:"walkin"`
}

// quotaOf reads State.Quota (whatever type the wiring gave) through JSON.
func quotaOf(v any) (quotaCounts, bool) {
	var q quotaCounts
	raw, err := json.Marshal(v)
	if err != nil || json.Unmarshal(raw, &q) != nil || q.Date == "" {
		return q, false
	}
	return q, q.Online.Capacity+q.Walkin.Capacity > 0
}
