package devices_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/ssetest"
)

// A display on one instance sees every call, quota change and message made
// on another: snapshot first, then the events.
func TestFeedAcrossInstances(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(apptest.Monday)
	dbURL := apptest.DB(t)
	in1 := apptest.Start(t, dbURL, apptest.Options{Clock: clk})
	in2 := apptest.Start(t, dbURL, apptest.Options{Clock: clk})
	in1.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 10, 2)
	if err := in1.App.Queue.SetBooth(context.Background(), "JKS", queue.Booth{Number: 3, Services: civil.OSSBoothServices}, "test"); err != nil {
		t.Fatal(err)
	}
	kiosk := in2.DeviceToken(t, "JKS", "kiosk", "Kiosk 1")
	desk := in2.OfficerToken(t, "JKS", "jks.desk", "desk")
	super := in2.OfficerToken(t, "JKS", "jks.super", "supervisor")

	if r := in1.Do(t, "GET", "/api/v1/offices/XYZ/feed", "", nil); r.Status != 404 {
		t.Fatalf("unknown office feed: %d", r.Status)
	}
	feed := ssetest.Open(t, nil, in1.URL+"/api/v1/offices/JKS/feed")
	other := ssetest.Open(t, nil, in1.URL+"/api/v1/offices/DPS/feed")
	var snap struct {
		Office  string
		Date    string
		Waiting int
		Quota   struct {
			Walkin struct{ Capacity, Remaining int }
		}
	}
	if err := json.Unmarshal([]byte(feed.Must(t, "snapshot", 2*time.Second).Data), &snap); err != nil {
		t.Fatal(err)
	}
	if snap.Office != "JKS" || snap.Date != "2026-03-02" || snap.Quota.Walkin.Capacity != 10 || snap.Waiting != 0 {
		t.Fatalf("snapshot %+v", snap)
	}
	other.Must(t, "snapshot", 2*time.Second)

	// A walk-in at a kiosk on instance 2: "ticket" and "quota" events.
	if r := in2.Do(t, "POST", "/api/v1/kiosk/tickets", kiosk, map[string]string{"service": "new"}); r.Status != 201 {
		t.Fatalf("walk-in: %d %s", r.Status, r.Body)
	}
	q := feed.Must(t, "quota", time.Second)
	if !strings.Contains(q.Data, `"walkin":{"capacity":10,"issued":1,"remaining":9}`) || !strings.Contains(q.Data, `"date":"2026-03-02"`) {
		t.Fatalf("quota event %s", q.Data)
	}
	// A call through the API on instance 2 reaches the display on instance 1 at once.
	start := time.Now()
	if r := in2.Do(t, "POST", "/api/v1/backoffice/booths/3/call-next", desk, nil); r.Status != 200 {
		t.Fatalf("call-next: %d %s", r.Status, r.Body)
	}
	call := feed.Must(t, "call", time.Second)
	if !strings.Contains(call.Data, `"ticket":"A001"`) || !strings.Contains(call.Data, `"booth":3`) || !strings.Contains(call.Data, `"called_at"`) {
		t.Fatalf("call event %s", call.Data)
	}
	t.Logf("call reached the other instance's feed in %v", time.Since(start))
	if r := in2.Do(t, "PUT", "/api/v1/backoffice/running-text", desk, map[string]string{"text": "x"}); r.Status != 403 {
		t.Fatalf("desk officer setting running text: %d", r.Status)
	}
	if r := in2.Do(t, "PUT", "/api/v1/backoffice/running-text", super, map[string]string{"text": "Loket 5 tutup  pukul 12.00"}); r.Status != 200 {
		t.Fatalf("running text: %d %s", r.Status, r.Body)
	}
	if e := feed.Must(t, "text", time.Second); e.Data != `{"text":"Loket 5 tutup pukul 12.00"}` {
		t.Fatalf("text event %s", e.Data)
	}
	// Another office's display hears nothing of JKS.
	if e, ok := other.Any(100 * time.Millisecond); ok {
		t.Fatalf("DPS feed got a JKS event: %+v", e)
	}

	r := in1.Do(t, "GET", "/api/v1/offices/JKS/running-text", "", nil)
	line := string(r.Body)
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") || strings.Count(line, "\n") != 1 ||
		!strings.Contains(line, "JKS") || !strings.Contains(line, "2026-03-02") || !strings.Contains(line, "A001 di loket 3") ||
		!strings.Contains(line, "sisa 9") || !strings.Contains(line, "Loket 5 tutup") {
		t.Fatalf("running text: %d %q", r.Status, line)
	}
	var queue struct {
		Office, Date string
		Serving      []struct {
			Ticket, Service string
			Booth           int
		}
		Waiting int
	}
	in1.Do(t, "GET", "/api/v1/offices/JKS/queue", "", nil).JSON(t, &queue)
	if queue.Office != "JKS" || len(queue.Serving) != 1 || queue.Serving[0].Ticket != "A001" || queue.Serving[0].Booth != 3 || queue.Waiting != 0 {
		t.Fatalf("queue %+v", queue)
	}
}

// Issue 14, finding 7: when the process's LISTEN connection drops, the
// NOTIFYs sent before it is back are lost; every display then gets a fresh
// snapshot. Before, the display kept showing the state from before the gap
// (here: nobody waiting, though a walk-in took a number meanwhile).
func TestFeedSnapshotAfterListenerReconnects(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 10, 2)
	kiosk := in.DeviceToken(t, "JKS", "kiosk", "Kiosk 1")
	feed := ssetest.Open(t, nil, in.URL+"/api/v1/offices/JKS/feed")
	feed.Must(t, "snapshot", 2*time.Second)
	var killed int
	if err := in.Pool.QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN sppt_events'`).Scan(&killed); err != nil || killed != 1 {
		t.Fatalf("terminating the listener: %d %v", killed, err)
	}
	if r := in.Do(t, "POST", "/api/v1/kiosk/tickets", kiosk, map[string]string{"service": "new"}); r.Status != 201 {
		t.Fatalf("walk-in: %d %s", r.Status, r.Body)
	}
	var snap struct{ Waiting int }
	if err := json.Unmarshal([]byte(feed.Must(t, "snapshot", 5*time.Second).Data), &snap); err != nil || snap.Waiting != 1 {
		t.Fatalf("the snapshot after the reconnect: %+v %v", snap, err)
	}
}
