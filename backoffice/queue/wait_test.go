package queue_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

var wib, _ = time.LoadLocation("Asia/Jakarta")

// A day of measured six-minute turns at one booth, then two booths at work:
// the forecast gives each waiting number the soonest-free booth in calling
// order (priority first), and the kiosk's ticket carries it.
func TestForecastFromMeasuredTurns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	friday := time.Date(2026, 2, 27, 9, 0, 0, 0, wib)
	clk := clock.NewFake(friday)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	q := in.App.Queue
	setBooths(t, q, "JKS", queue.Booth{Number: 1, Services: civil.OSSBoothServices},
		queue.Booth{Number: 2, Services: civil.OSSBoothServices}, queue.Booth{Number: 9, Services: civil.PickupBoothServices})
	setQuota(t, in, "JKS", apptest.Day("2026-02-27"), 100, 10)
	for range 22 {
		walkin(t, q, "JKS", "new")
	}
	for range 22 { // booth 1 alone, six minutes each
		if _, _, err := q.CallNext(ctx, "JKS", 1, "test"); err != nil {
			t.Fatal(err)
		}
		clk.Advance(6 * time.Minute)
	}
	if _, _, err := q.CallNext(ctx, "JKS", 1, "test"); err != nil { // finishes the last
		t.Fatal(err)
	}

	clk.Set(apptest.Monday) // 09:00 Monday
	setQuota(t, in, "JKS", apptest.Day("2026-03-02"), 100, 10)
	a := walkin(t, q, "JKS", "new")
	b := walkin(t, q, "JKS", "renewal")
	if _, _, err := q.CallNext(ctx, "JKS", 1, "test"); err != nil { // booth 1 takes A001 at 09:00
		t.Fatal(err)
	}
	clk.Advance(2 * time.Minute)
	if _, _, err := q.CallNext(ctx, "JKS", 2, "test"); err != nil { // booth 2 takes B001 at 09:02
		t.Fatal(err)
	}
	clk.Advance(time.Minute) // 09:03
	c := walkin(t, q, "JKS", "new")
	d := walkin(t, q, "JKS", "priority")
	if c.ExpectedWaitMin == nil || *c.ExpectedWaitMin != 3 {
		t.Fatalf("A002 at 09:03 behind two busy booths (free 09:06, 09:08): wait %v, want 3 min", c.ExpectedWaitMin)
	}
	f, err := q.Forecast(ctx, "JKS")
	if err != nil {
		t.Fatal(err)
	}
	at := func(h, m int) time.Time { return time.Date(2026, 3, 2, h, m, 0, 0, wib) }
	// D001 jumps the line: booth 1 at 09:06; A002 then gets booth 2 at 09:08.
	want := map[string]time.Time{d.Number: at(9, 6), c.Number: at(9, 8)}
	for n, w := range want {
		if got := f.Numbers[n].CallAt; !got.Equal(w) {
			t.Errorf("%s expected at %s, want %s", n, got.Format("15:04"), w.Format("15:04"))
		}
	}
	if e := f.New["new"]; e.Ahead != 2 || !e.CallAt.Equal(at(9, 12)) {
		t.Errorf("a new number now: %+v, want 2 ahead, called 09:12", e)
	}
	if e := f.New["pickup"]; e.Ahead != 0 || e.WaitMin != 0 {
		t.Errorf("pickup counter idle: %+v", e)
	}
	_, _ = a, b
}

// An online booking's applicant is texted once when three numbers are
// ahead, not before and never again; a walk-in who gave a phone at the
// kiosk likewise.
func TestNearTurnTextOnceAtThreeAhead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := clock.NewFake(apptest.Monday)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	q := in.App.Queue
	setBooths(t, q, "JKS", queue.Booth{Number: 1, Services: civil.OSSBoothServices})
	setQuota(t, in, "JKS", apptest.Day("2026-03-02"), 100, 10)
	in.OpenDay(t, "JKS", "2026-03-02", 10, 100)
	for range 5 {
		walkin(t, q, "JKS", "new")
	}
	nik := apptest.NIK("1990-10-20", true, 7)
	code := in.Book(t, "JKS", "2026-03-02", "new", nik)
	r := in.Do(t, "POST", "/api/v1/kiosk/checkin", in.DeviceToken(t, "JKS", "kiosk", "Kiosk 1"),
		map[string]string{"booking_code": code, "nik": nik})
	var tk struct {
		Ticket          string `json:"ticket"`
		ExpectedWaitMin *int   `json:"expected_wait_min"`
	}
	r.JSON(t, &tk)
	if tk.Ticket != "A006" || tk.ExpectedWaitMin == nil || *tk.ExpectedWaitMin != 40 {
		t.Fatalf("check-in behind five at one idle booth of 8-minute turns: %+v wait %v, want A006 in 40 min", tk, tk.ExpectedWaitMin)
	}
	walker := walkin(t, q, "JKS", "renewal") // B001, behind A006
	if err := q.AskNear(ctx, "JKS", walker.Number, "0812 9999 0000", "kiosk:1"); err != nil {
		t.Fatal(err)
	}
	texts := func(phone string) int {
		var n int
		if err := in.Pool.QueryRow(ctx, `SELECT count(*) FROM sms_messages WHERE kind = 'queue_near' AND to_phone = $1`, phone).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for call := 1; call <= 6; call++ {
		if _, _, err := q.CallNext(ctx, "JKS", 1, "test"); err != nil {
			t.Fatal(err)
		}
		clk.Advance(5 * time.Minute)
		if err := q.NotifyNear(ctx, "JKS"); err != nil { // what the nudged loop does
			t.Fatal(err)
		}
		// A006 has 5 - call ahead: texted from the second call on, once.
		want := 0
		if call >= 2 {
			want = 1
		}
		if got := texts("+6281234567890"); got != want {
			t.Fatalf("after call %d: %d near texts to the booking's phone, want %d", call, got, want)
		}
	}
	if got := texts("+6281299990000"); got != 1 {
		t.Fatalf("walk-in who asked: %d near texts, want 1", got)
	}
	if err := q.AskNear(ctx, "JKS", walker.Number, "12345", "kiosk:1"); err == nil {
		t.Fatal("a malformed phone was accepted")
	}
}

// The capacity plan: two OSS booths at the measured six-minute turn over
// the office's opening minutes at 85 % use; the accuracy of forecasts kept
// on tickets against their calls.
func TestCapacityPlanFromMeasuredTurns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 2, 27, 9, 0, 0, 0, wib))
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	q := in.App.Queue
	setBooths(t, q, "JKS", queue.Booth{Number: 1, Services: civil.OSSBoothServices},
		queue.Booth{Number: 2, Services: civil.OSSBoothServices}, queue.Booth{Number: 9, Services: civil.PickupBoothServices})
	setQuota(t, in, "JKS", apptest.Day("2026-02-27"), 100, 10)
	for range 22 {
		walkin(t, q, "JKS", "new")
	}
	for range 23 { // booth 1, six minutes each; every forecast was 8-minute turns
		if _, _, err := q.CallNext(ctx, "JKS", 1, "test"); err != nil {
			t.Fatal(err)
		}
		clk.Advance(6 * time.Minute)
	}
	p, err := q.Capacity(ctx, "JKS", apptest.Day("2026-02-27"))
	if err != nil {
		t.Fatal(err)
	}
	oss := p.Groups[0]
	want := int(float64(2*p.OpenMinutes) * queue.Utilisation / 6)
	if p.OpenMinutes <= 0 || oss.Booths != 2 || !oss.Measured || oss.TurnMin != 6 || oss.Suggested != want {
		t.Fatalf("OSS plan %+v over %d minutes, want 2 booths, 6.0 measured, %d a day", oss, p.OpenMinutes, want)
	}
	if p.SuggestedOnline+p.SuggestedWI != want {
		t.Errorf("split %d + %d, want %d", p.SuggestedOnline, p.SuggestedWI, want)
	}
	// The k-th ticket (0-based) was forecast at 8k minutes and called at 6k.
	if a := p.Accuracy; a.Tickets != 22 || a.P90Min < 30 || a.P90Min > 40 {
		t.Errorf("accuracy %+v, want 22 tickets with a p90 error of 30–40 minutes", a)
	}
	code, _, body := apptest.Page(t, "GET", in.URL+"/backoffice/capacity", officer.OfficerCookie+"="+in.OfficerToken(t, "JKS", "jks.head", "validator"), nil)
	if code != 200 || !strings.Contains(body, `id="suggested-online"`) {
		t.Fatalf("capacity page: %d", code)
	}
}
