package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/ssetest"
	"github.com/sppt/sppt/proof/prooftest"
)

// snapshot is the feed's first event, as a display reads it.
type snapshot struct {
	Serving []struct {
		Ticket string
		Booth  int
	}
	WaitingBy   map[string]int `json:"waiting_by_service"`
	RunningText string         `json:"running_text"`
	Quota       struct {
		Walkin struct{ Issued int }
	}
}

// A display's connection cut mid-stream (a relay between it and the
// server resets both sides), and while it is away the queue moves through
// the pipeline's steps the displays show: a walk-in's ticket, its call, its
// finish, another ticket called and transferred to the pickup queue, a third
// called, the running text and the walk-in quota. On reconnecting it must
// see all of it in its first snapshot, and live events after. (Stage moves
// of applications are published as "application" events, but no screen
// forwards them: the feed carries call, quota, text and ticket, and the
// officers' pipeline pages read stages afresh on each load.)
func TestDisplayReconnectCatchesUp(t *testing.T) {
	t.Parallel()
	cuts := prooftest.Size(1, 5)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	ctx := context.Background()
	two := 2
	if _, err := in.App.Quota.SetDay(ctx, "JKS", apptest.Day("2026-03-02"), 100, 6*cuts+6, &two, "test"); err != nil {
		t.Fatal(err)
	}
	if err := in.App.Queue.SetBooth(ctx, "JKS", queue.Booth{Number: 3, Services: civil.OSSBoothServices}, "test"); err != nil {
		t.Fatal(err)
	}
	kiosk := in.DeviceToken(t, "JKS", "kiosk", "Kiosk 1")
	desk := in.OfficerToken(t, "JKS", "jks.desk", "desk")
	super := in.OfficerToken(t, "JKS", "jks.super", "supervisor")
	must := func(r apptest.Response, want int, what string) apptest.Response {
		if r.Status != want {
			t.Fatalf("%s: %d %s", what, r.Status, r.Body)
		}
		return r
	}
	walkin := func() {
		must(in.Do(t, "POST", "/api/v1/kiosk/tickets", kiosk, map[string]string{"service": "new"}), 201, "walk-in")
	}
	callNext := func() string {
		var c struct{ Ticket string }
		must(in.Do(t, "POST", "/api/v1/backoffice/booths/3/call-next", desk, nil), 200, "call-next").JSON(t, &c)
		return c.Ticket
	}
	relay := newCutter(t, strings.TrimPrefix(in.URL, "http://"))
	display := &http.Client{}
	f := ssetest.Open(t, display, relay.URL()+"/api/v1/offices/JKS/feed")
	if _, ok := f.Next("snapshot", 5*time.Second); !ok {
		t.Fatal("no first snapshot")
	}
	walkin() // a ticket at the booth, so each round begins by finishing one
	callNext()
	seen, moved, issued := 0, 0, 1
	for round := 1; round <= cuts; round++ {
		walkin() // live: the display is connected and hears it
		issued++
		if _, ok := f.Next("ticket", 5*time.Second); !ok {
			t.Fatalf("round %d: the connected display heard no ticket", round)
		}
		relay.cut()
		if !f.Closed(5 * time.Second) {
			t.Fatalf("round %d: the cut did not end the display's stream", round)
		}
		// Away: a ticket called and finished, one transferred to pickup, one left at the booth.
		must(in.Do(t, "POST", "/api/v1/backoffice/booths/3/complete", desk, nil), 200, "complete the round's first")
		walkin()
		done := callNext()
		must(in.Do(t, "POST", "/api/v1/backoffice/booths/3/complete", desk, nil), 200, "complete")
		walkin()
		callNext()
		must(in.Do(t, "POST", "/api/v1/backoffice/booths/3/transfer", desk, map[string]string{"service": "pickup"}), 200, "transfer")
		walkin()
		serving := callNext()
		issued += 3
		text := fmt.Sprintf("Putaran %d: loket 5 tutup", round)
		must(in.Do(t, "PUT", "/api/v1/backoffice/running-text", super, map[string]string{"text": text}), 200, "running text")

		f = ssetest.Open(t, display, relay.URL()+"/api/v1/offices/JKS/feed")
		ev, ok := f.Next("snapshot", 5*time.Second)
		var s snapshot
		if !ok || json.Unmarshal([]byte(ev.Data), &s) != nil {
			t.Fatalf("round %d: no snapshot on reconnecting (%q)", round, ev.Data)
		}
		if len(s.Serving) > 0 && s.Serving[0].Ticket == serving && s.Serving[0].Booth == 3 &&
			s.RunningText == text && s.Quota.Walkin.Issued == issued {
			seen++
		} else {
			t.Logf("round %d: snapshot %s (want %s at booth 3, %q, %d walk-ins)", round, ev.Data, serving, text, issued)
		}
		finished := true
		for _, c := range s.Serving {
			finished = finished && c.Ticket != done
		}
		// Live again: the booth finishes its ticket and the display hears it.
		must(in.Do(t, "POST", "/api/v1/backoffice/booths/3/complete", desk, nil), 200, "complete after reconnect")
		live, ok := f.Next("ticket", 5*time.Second)
		if finished && s.WaitingBy["pickup"] == round && ok && strings.Contains(live.Data, `"action":"done"`) {
			moved++
		} else {
			t.Logf("round %d: done %s gone %v, pickup waiting %d, live %v %s", round, done, finished, s.WaitingBy["pickup"], ok, live.Data)
		}
		// The round's opening "complete" needs a ticket at the booth.
		walkin()
		issued++
		callNext()
		if _, ok := f.Next("call", 5*time.Second); !ok {
			t.Fatalf("round %d: no live call after reconnecting", round)
		}
	}
	fig := prooftest.Figure
	prooftest.Line(t, "faults", "a display losing its connection gets a snapshot of what happened while away", seen, cuts,
		fig("cuts", cuts), fig("walkins", issued))
	prooftest.Line(t, "faults", "a reconnecting display caught up with the queue's transitions (called, done, transferred to pickup) and hears live events again",
		moved, cuts)
}
