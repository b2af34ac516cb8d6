package quota_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/events"
	"github.com/sppt/sppt/quota"
)

func TestSetDayOpensAndGuardsCapacity(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 9, 0, 0, 0, wib))
	sat := date("2026-03-07")
	st, err := e.s.SetDay(e.ctx, "JKS", sat, 3, 2, nil, "officer:1")
	if err != nil {
		t.Fatal(err)
	}
	if !st.Open || st.Online.Capacity != 3 || st.Walkin.Capacity != 2 || st.Priority.Capacity != 2 {
		t.Fatalf("set Saturday: %+v", st)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM audit_log WHERE action = 'quota.set' AND subject = 'quota:JKS:2026-03-07'`); n != 1 {
		t.Errorf("audit entries: %d", n)
	}
	for i := range 2 {
		if b, err := e.s.Book(e.ctx, citizen(i, "JKS", sat)); err != nil || b.Status != quota.StatusBooked || len(b.Code) != 8 {
			t.Fatalf("book %d: %+v %v", i, b, err)
		}
	}
	if _, err := e.s.SetDay(e.ctx, "JKS", sat, 1, 2, nil, "officer:1"); !errors.Is(err, quota.ErrCapacityBelowBooked) {
		t.Errorf("below booked: %v", err)
	}
	p := 5
	if _, err := e.s.SetDay(e.ctx, "JKS", sat, 3, 2, &p, "officer:1"); !errors.Is(err, quota.ErrInvalidInput) {
		t.Errorf("priority above walk-in: %v", err)
	}
	if _, err := e.s.SetDay(e.ctx, "JKS", date("2026-03-01"), 3, 2, nil, "officer:1"); err == nil {
		t.Error("a past day was set")
	}
}

// Two instances on one database, 5 seats, 120 concurrent attempts from 30
// citizens: exactly 5 bookings, and every other answer a clean refusal.
func TestNeverOverbooksAcrossTwoInstances(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, wib))
	db := apptest.DB(t)
	a := apptest.Start(t, db, apptest.Options{Clock: clk})
	b := apptest.Start(t, db, apptest.Options{Clock: clk})
	ctx := context.Background()
	day := date("2026-03-04")
	if _, err := a.App.Quota.SetDay(ctx, "JKS", day, 5, 5, nil, "test"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string]int{}
	for i := range 120 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc := a.App.Quota
			if i%2 == 1 {
				svc = b.App.Quota
			}
			_, err := svc.Book(ctx, citizen(i%30, "JKS", day))
			key := "ok"
			switch {
			case errors.Is(err, quota.ErrQuotaExhausted):
				key = "exhausted"
			case errors.Is(err, quota.ErrActiveBookingExists):
				key = "active"
			case err != nil:
				key = err.Error()
			}
			mu.Lock()
			got[key]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if got["ok"] != 5 || got["ok"]+got["exhausted"]+got["active"] != 120 {
		t.Fatalf("answers: %v", got)
	}
	st, _ := b.App.Quota.Day(ctx, "JKS", day)
	if st.Online.Used != 5 || st.Online.Remaining != 0 {
		t.Errorf("day: %+v", st.Online)
	}
	if n := count(t, a.Pool, `SELECT count(*) FROM bookings WHERE day = $1 AND status = 'booked'`, day); n != 5 {
		t.Errorf("%d booked rows", n)
	}
	if n := count(t, a.Pool, `SELECT count(DISTINCT nik) FROM bookings WHERE day = $1`, day); n != 5 {
		t.Errorf("%d distinct NIKs booked", n)
	}
}

// One batch: a NIK twice inside it and a NIK already active elsewhere fail
// alone; the rest are booked in arrival order up to the seats.
func TestGroupCommitBatchWithDuplicateNIK(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 9, 0, 0, 0, wib))
	if _, err := e.s.Book(e.ctx, citizen(99, "JKS", date("2026-03-05"))); err != nil {
		t.Fatal(err)
	}
	day := date("2026-03-04")
	if _, err := e.s.SetDay(e.ctx, "JKS", day, 6, 5, nil, "test"); err != nil {
		t.Fatal(err)
	}
	var reqs []quota.BookingRequest
	for i := range 8 {
		reqs = append(reqs, citizen(i, "JKS", day))
	}
	reqs[3].NIK = reqs[1].NIK         // twice in the batch
	reqs[5] = citizen(99, "JKS", day) // active on another day
	reqs[6].NIK = "12345"             // defensive NIK check
	out, errs := e.s.BookBatch(e.ctx, reqs)
	want := []error{nil, nil, nil, quota.ErrActiveBookingExists, nil, quota.ErrActiveBookingExists, quota.ErrInvalidNIK, nil}
	for i := range reqs {
		if !errors.Is(errs[i], want[i]) {
			t.Errorf("request %d: %v, want %v", i, errs[i], want[i])
		}
		if want[i] == nil && out[i].Status != quota.StatusBooked {
			t.Errorf("request %d: %+v", i, out[i])
		}
	}
	st, _ := e.s.Day(e.ctx, "JKS", day)
	if st.Online.Used != 5 || st.Online.Remaining != 1 {
		t.Errorf("after the batch: %+v", st.Online)
	}
	// A batch bigger than the seats: first come in arrival order.
	var more []quota.BookingRequest
	for i := range 3 {
		more = append(more, citizen(50+i, "JKS", day))
	}
	_, errs = e.s.BookBatch(e.ctx, more)
	if errs[0] != nil || !errors.Is(errs[1], quota.ErrQuotaExhausted) || !errors.Is(errs[2], quota.ErrQuotaExhausted) {
		t.Errorf("over capacity: %v", errs)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM sms_messages WHERE kind = 'booking_confirmed'`); n != 7 {
		t.Errorf("%d confirmations queued, want 7", n)
	}
}

func TestPhoneLimit(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 9, 0, 0, 0, wib))
	for i := range 6 {
		req := citizen(i, "JKS", date("2026-03-03").AddDate(0, 0, i%2))
		req.Phone = "+6281299990000"
		_, err := e.s.Book(e.ctx, req)
		if i < quota.MaxActivePerPhone && err != nil {
			t.Fatalf("booking %d: %v", i, err)
		}
		if i == quota.MaxActivePerPhone && !errors.Is(err, quota.ErrPhoneLimit) {
			t.Fatalf("sixth booking: %v", err)
		}
	}
	list, err := e.s.Bookings(e.ctx, "+6281299990000")
	if err != nil || len(list) != 5 {
		t.Fatalf("bookings: %d %v", len(list), err)
	}
	if _, err := e.s.Cancel(e.ctx, "+6281299990000", list[0].Code); err != nil {
		t.Fatal(err)
	}
	req := citizen(5, "JKS", date("2026-03-03"))
	req.Phone = "+6281299990000"
	if _, err := e.s.Book(e.ctx, req); err != nil {
		t.Errorf("after a cancel the phone may book again: %v", err)
	}
	if _, err := e.s.Booking(e.ctx, "+6281200000001", list[1].Code); !errors.Is(err, quota.ErrNotFound) {
		t.Errorf("someone else's booking: %v", err)
	}
	if b, err := e.s.ByCode(e.ctx, list[1].Code); err != nil || b.Phone != "+6281299990000" {
		t.Errorf("by code: %+v %v", b, err)
	}
}

func TestCancelReturnsSeatAndPublishes(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 9, 0, 0, 0, wib))
	day := date("2026-03-04")
	if _, err := e.s.SetDay(e.ctx, "JKS", day, 5, 5, nil, "test"); err != nil {
		t.Fatal(err)
	}
	bk, err := e.s.Book(e.ctx, citizen(1, "JKS", day))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(e.ctx, e.in.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(e.ctx)
	if _, err := conn.Exec(e.ctx, "LISTEN "+events.Channel); err != nil {
		t.Fatal(err)
	}
	c, err := e.s.Cancel(e.ctx, bk.Phone, bk.Code)
	if err != nil || c.Status != quota.StatusCancelled {
		t.Fatalf("cancel: %+v %v", c, err)
	}
	if st, _ := e.s.Day(e.ctx, "JKS", day); st.Online.Remaining != 5 {
		t.Errorf("seat not returned: %+v", st.Online)
	}
	wctx, cancel := context.WithTimeout(e.ctx, 5*time.Second)
	defer cancel()
	for {
		n, err := conn.WaitForNotification(wctx)
		if err != nil {
			t.Fatalf("no quota event: %v", err)
		}
		var ev events.Event
		var data quota.QuotaEvent
		if json.Unmarshal([]byte(n.Payload), &ev) != nil || ev.Type != "quota" || json.Unmarshal(ev.Data, &data) != nil {
			continue
		}
		if ev.Office == "JKS" && data.Date == "2026-03-04" && data.Online.Remaining == 5 && data.Online.Booked == 0 && data.Walkin.Capacity == 5 {
			break
		}
		t.Logf("other event: %s", n.Payload)
	}
	if _, err := e.s.Cancel(e.ctx, bk.Phone, bk.Code); !errors.Is(err, quota.ErrNotChangeable) {
		t.Errorf("second cancel: %v", err)
	}
}

func TestRescheduleMovesTheSeat(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 9, 0, 0, 0, wib))
	from, to := date("2026-03-04"), date("2026-03-03")
	for _, d := range []time.Time{from, to} {
		if _, err := e.s.SetDay(e.ctx, "JKS", d, 1, 1, nil, "test"); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := e.s.Book(e.ctx, citizen(1, "JKS", from))
	b, _ := e.s.Book(e.ctx, citizen(2, "JKS", to))
	if _, err := e.s.Reschedule(e.ctx, a.Phone, a.Code, to); !errors.Is(err, quota.ErrQuotaExhausted) {
		t.Fatalf("into a full day: %v", err)
	}
	if _, err := e.s.Reschedule(e.ctx, a.Phone, a.Code, date("2026-03-07")); err == nil {
		t.Fatal("rescheduled onto a Saturday")
	}
	if _, err := e.s.Cancel(e.ctx, b.Phone, b.Code); err != nil {
		t.Fatal(err)
	}
	moved, err := e.s.Reschedule(e.ctx, a.Phone, a.Code, to)
	if err != nil || !moved.Date.Equal(to) || moved.Code != a.Code {
		t.Fatalf("reschedule: %+v %v", moved, err)
	}
	stFrom, _ := e.s.Day(e.ctx, "JKS", from)
	stTo, _ := e.s.Day(e.ctx, "JKS", to)
	if stFrom.Online.Used != 0 || stTo.Online.Used != 1 {
		t.Errorf("seats after the move: from %+v to %+v", stFrom.Online, stTo.Online)
	}
}
