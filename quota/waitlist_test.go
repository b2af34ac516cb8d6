package quota_test

import (
	"errors"
	"testing"
	"time"

	"github.com/sppt/sppt/quota"
)

func TestWaitlistOfferExpiryAndAccept(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 9, 0, 0, 0, wib))
	day := date("2026-03-03")
	if _, err := e.s.SetDay(e.ctx, "JKS", day, 2, 2, nil, "test"); err != nil {
		t.Fatal(err)
	}
	a, _ := e.s.Book(e.ctx, citizen(1, "JKS", day))
	if _, err := e.s.Book(e.ctx, citizen(2, "JKS", day)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Book(e.ctx, citizen(3, "JKS", day)); !errors.Is(err, quota.ErrQuotaExhausted) {
		t.Fatalf("full day: %v", err)
	}
	c, err := e.s.JoinWaitlist(e.ctx, citizen(3, "JKS", day))
	if err != nil || c.Status != quota.StatusWaitlisted || c.WaitlistPos != 1 {
		t.Fatalf("join: %+v %v", c, err)
	}
	e.clk.Advance(time.Minute)
	d, _ := e.s.JoinWaitlist(e.ctx, citizen(4, "JKS", day))
	if d.WaitlistPos != 2 {
		t.Fatalf("second in line: %+v", d)
	}
	if _, err := e.s.AcceptOffer(e.ctx, c.Phone, c.Code); !errors.Is(err, quota.ErrNoOffer) {
		t.Errorf("accept without an offer: %v", err)
	}

	// A cancel passes the seat to the first in line, not to first-come.
	if _, err := e.s.Cancel(e.ctx, a.Phone, a.Code); err != nil {
		t.Fatal(err)
	}
	c, _ = e.s.Booking(e.ctx, c.Phone, c.Code)
	wantExp := e.clk.Now().Add(2 * time.Hour)
	if !c.OfferExpiresAt.Equal(wantExp) {
		t.Fatalf("offer: %+v, want it to expire at %v", c, wantExp)
	}
	if st, _ := e.s.Day(e.ctx, "JKS", day); st.Online.Remaining != 0 {
		t.Errorf("the offered seat is free for anyone: %+v", st.Online)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM sms_messages WHERE kind = 'waitlist_offer' AND to_phone = $1`, c.Phone); n != 1 {
		t.Errorf("offer SMS: %d", n)
	}

	// It expires unanswered: the next one is offered.
	e.clk.Advance(2*time.Hour + time.Second)
	if n, err := e.s.ExpireOffers(e.ctx); err != nil || n != 1 {
		t.Fatalf("expire: %d %v", n, err)
	}
	if c, _ = e.s.Booking(e.ctx, c.Phone, c.Code); c.Status != quota.StatusExpired {
		t.Errorf("expired offer: %+v", c)
	}
	if _, err := e.s.AcceptOffer(e.ctx, c.Phone, c.Code); !errors.Is(err, quota.ErrNoOffer) {
		t.Errorf("accepting an expired offer: %v", err)
	}
	d, _ = e.s.Booking(e.ctx, d.Phone, d.Code)
	if d.OfferExpiresAt.IsZero() {
		t.Fatalf("next in line has no offer: %+v", d)
	}
	d, err = e.s.AcceptOffer(e.ctx, d.Phone, d.Code)
	if err != nil || d.Status != quota.StatusBooked {
		t.Fatalf("accept: %+v %v", d, err)
	}
	st, _ := e.s.Day(e.ctx, "JKS", day)
	if st.Online.Used != 2 || st.Online.Remaining != 0 {
		t.Errorf("after accept: %+v", st.Online)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM bookings WHERE day = $1 AND status = 'booked'`, day); n != 2 {
		t.Errorf("booked rows: %d", n)
	}
}

// An offer on the day itself is never held past the office's closing, and
// with nobody waiting a freed seat returns to the pool.
func TestOfferHeldUntilClosingAtMost(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 15, 0, 0, 0, wita)) // DPS, 15:00 WITA
	day := date("2026-03-02")
	if _, err := e.s.SetDay(e.ctx, "DPS", day, 1, 1, nil, "test"); err != nil {
		t.Fatal(err)
	}
	a, _ := e.s.Book(e.ctx, citizen(1, "DPS", day))
	w, err := e.s.JoinWaitlist(e.ctx, citizen(2, "DPS", day))
	if err != nil || w.Status != quota.StatusWaitlisted {
		t.Fatalf("join: %+v %v", w, err)
	}
	if _, err := e.s.Cancel(e.ctx, a.Phone, a.Code); err != nil {
		t.Fatal(err)
	}
	w, _ = e.s.Booking(e.ctx, w.Phone, w.Code)
	if !w.OfferExpiresAt.Equal(time.Date(2026, 3, 2, 16, 0, 0, 0, wita)) {
		t.Errorf("offer held until %v, want the 16:00 WITA closing", w.OfferExpiresAt)
	}
	if _, err := e.s.Cancel(e.ctx, w.Phone, w.Code); err != nil {
		t.Fatal(err)
	}
	if st, _ := e.s.Day(e.ctx, "DPS", day); st.Online.Remaining != 1 {
		t.Errorf("a cancelled offer with nobody waiting: %+v", st.Online)
	}
}

// A no-show on the day frees its seat for the first person waiting.
func TestNoShowReleasesSeatToWaitlist(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 8, 0, 0, 0, wib))
	day := date("2026-03-02")
	if _, err := e.s.SetDay(e.ctx, "JKS", day, 1, 1, nil, "test"); err != nil {
		t.Fatal(err)
	}
	a, _ := e.s.Book(e.ctx, citizen(1, "JKS", day))
	w, _ := e.s.JoinWaitlist(e.ctx, citizen(2, "JKS", day))
	if _, err := e.s.ReleaseNoShow(e.ctx, a.Code, "officer:1"); err != nil {
		t.Fatal(err)
	}
	if w, _ = e.s.Booking(e.ctx, w.Phone, w.Code); w.OfferExpiresAt.IsZero() {
		t.Fatalf("no offer after the no-show: %+v", w)
	}
	if w, err := e.s.AcceptOffer(e.ctx, w.Phone, w.Code); err != nil || w.Status != quota.StatusBooked {
		t.Fatalf("accept: %+v %v", w, err)
	}
	if _, err := e.s.ReleaseNoShow(e.ctx, a.Code, "officer:1"); !errors.Is(err, quota.ErrNotChangeable) {
		t.Errorf("second no-show: %v", err)
	}
}
