package quota_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/quota"
)

// A release draw: entries during the window, a recorded seed at the close,
// and an order anyone can recompute from the seed and the entry list.
func TestDrawIsRecomputableFromSeedAndEntries(t *testing.T) {
	t.Parallel()
	// 00:02 WIB on 2 March: day 1 April was released at 00:00, its draw closes at 00:10.
	e := start(t, time.Date(2026, 3, 2, 0, 2, 0, 0, wib))
	exec(t, e.in.Pool, `UPDATE offices SET default_online = 5 WHERE code = 'JKS'`)
	day := date("2026-04-01")
	st, err := e.s.Day(e.ctx, "JKS", day)
	if err != nil || !st.Open || !st.InDraw || !st.DrawClosesAt.Equal(time.Date(2026, 3, 2, 0, 10, 0, 0, wib)) {
		t.Fatalf("day in draw: %+v %v", st, err)
	}
	var codes []string
	for i := range 12 {
		req := citizen(i, "JKS", day)
		if i < 5 {
			req.Phone = "+6281288880000" // one account entering five NIKs
		}
		b, err := e.s.Book(e.ctx, req)
		if err != nil || b.Status != quota.StatusEntered {
			t.Fatalf("entry %d: %+v %v", i, b, err)
		}
		codes = append(codes, b.Code)
	}
	// Anti-broker rules hold for entries too.
	extra := citizen(20, "JKS", day)
	extra.Phone = "+6281288880000"
	if _, err := e.s.Book(e.ctx, extra); !errors.Is(err, quota.ErrPhoneLimit) {
		t.Errorf("sixth entry of a phone: %v", err)
	}
	if _, err := e.s.Book(e.ctx, citizen(3, "JKS", date("2026-03-03"))); !errors.Is(err, quota.ErrActiveBookingExists) {
		t.Errorf("an entered NIK booking elsewhere: %v", err)
	}
	if st, _ := e.s.Day(e.ctx, "JKS", day); st.Online.Used != 0 {
		t.Errorf("entries took seats: %+v", st.Online)
	}
	var nd *quota.NotDueError
	if err := e.s.CloseDraw(e.ctx, "JKS", day); !errors.As(err, &nd) {
		t.Fatalf("close before the window ends: %v", err)
	}

	e.clk.Set(time.Date(2026, 3, 2, 0, 10, 0, 0, wib))
	if err := e.s.CloseDraw(e.ctx, "JKS", day); err != nil {
		t.Fatal(err)
	}
	if err := e.s.CloseDraw(e.ctx, "JKS", day); err != nil { // idempotent
		t.Fatal(err)
	}
	d, err := e.s.GetDraw(e.ctx, "JKS", day)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Seed) != 32 || len(d.Entries) != 12 || d.Seats != 5 || d.Winners != 5 {
		t.Fatalf("draw record: %+v", d)
	}
	order := quota.DrawOrder(d.Seed, d.Entries)
	for i, code := range order {
		b, err := e.s.ByCode(e.ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		want := quota.StatusBooked
		if i >= d.Winners {
			want = quota.StatusWaitlisted
		}
		if b.Status != want || (want == quota.StatusWaitlisted && b.WaitlistPos != i-d.Winners+1) {
			t.Errorf("rank %d %s: status %s pos %d, want %s pos %d", i, code, b.Status, b.WaitlistPos, want, i-d.Winners+1)
		}
	}
	// The account with five entries has one entry per round: at most one
	// of its NIKs can be among the first eight (the eight phones' first round).
	broker := 0
	for _, code := range order[:5] {
		if slices.Index(codes, code) < 5 {
			broker++
		}
	}
	if broker > 1 {
		t.Errorf("the five-NIK account won %d of the first 5 seats", broker)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM sms_messages WHERE kind = 'draw_won'`); n != 5 {
		t.Errorf("draw_won notices: %d", n)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM sms_messages WHERE kind = 'draw_lost'`); n != 7 {
		t.Errorf("draw_lost notices: %d", n)
	}
	if st, _ := e.s.Day(e.ctx, "JKS", day); st.InDraw || st.Online.Remaining != 0 {
		t.Errorf("after the draw: %+v", st)
	}
	// A different seed gives a different order over the same entries.
	other := slices.Clone(d.Seed)
	other[0] ^= 0xff
	if slices.Equal(quota.DrawOrder(other, d.Entries), order) {
		t.Error("the order does not depend on the seed")
	}
}

// A booking after the window closed runs a draw whose job is late first, so
// first-come never takes the entrants' seats.
func TestLateDrawRunsBeforeFirstCome(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 0, 2, 0, 0, wib))
	exec(t, e.in.Pool, `UPDATE offices SET default_online = 2 WHERE code = 'JKS'`)
	day := date("2026-04-01")
	for i := range 3 {
		if _, err := e.s.Book(e.ctx, citizen(i, "JKS", day)); err != nil {
			t.Fatal(err)
		}
	}
	e.clk.Set(time.Date(2026, 3, 2, 0, 30, 0, 0, wib))
	if _, err := e.s.Book(e.ctx, citizen(9, "JKS", day)); !errors.Is(err, quota.ErrQuotaExhausted) {
		t.Errorf("first-come after the window: %v", err)
	}
	if _, err := e.s.GetDraw(e.ctx, "JKS", day); err != nil {
		t.Errorf("draw not recorded: %v", err)
	}
	w, err := e.s.JoinWaitlist(e.ctx, citizen(9, "JKS", day))
	if err != nil || w.Status != quota.StatusWaitlisted || w.WaitlistPos != 2 {
		t.Errorf("join the waitlist behind the draw's loser: %+v %v", w, err)
	}
}

// The River job closes the draw at its window's end on its own. The
// business clock is a fake one that moves only when the test says so: the
// job, scheduled 2 s (real time) ahead, first runs while the window is still
// open and must leave the entry alone; once the clock reaches the close, the
// job's next run makes the draw. However slow the machine, the entry is made
// before the close and the job never sees the close early.
func TestDrawClosedByItsJob(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 3, 2, 0, 9, 58, 0, wib))
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	ctx := context.Background()
	day := date("2026-04-01")
	b, err := in.App.Quota.Book(ctx, citizen(1, "JKS", day))
	if err != nil || b.Status != quota.StatusEntered {
		t.Fatalf("entry: %+v %v", b, err)
	}
	// The job's first attempt ends before the window closes (snoozed, the
	// job is available again with a later scheduled_at).
	waitFor(t, time.Minute, "the draw job's first attempt", func() bool {
		return count(t, in.Pool, `SELECT count(*) FROM river_job WHERE kind = 'quota_close_draw'
			AND attempted_at IS NOT NULL AND state <> 'running'`) == 1
	})
	if b, _ = in.App.Quota.ByCode(ctx, b.Code); b.Status != quota.StatusEntered {
		t.Fatalf("the job acted before the window closed: %+v", b)
	}
	if _, err := in.App.Quota.GetDraw(ctx, "JKS", day); !errors.Is(err, quota.ErrNotFound) {
		t.Fatalf("a draw recorded before the window closed: %v", err)
	}

	clk.Set(time.Date(2026, 3, 2, 0, 10, 0, 0, wib))
	waitFor(t, time.Minute, "the draw job to close the draw", func() bool {
		b, _ = in.App.Quota.ByCode(ctx, b.Code)
		return b.Status == quota.StatusBooked
	})
	if _, err := in.App.Quota.GetDraw(ctx, "JKS", day); err != nil {
		t.Fatalf("booked without a recorded draw: %v", err)
	}
}

// waitFor polls cond until it holds, failing the test after within (a
// generous bound: a loaded machine is slow, not wrong).
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", within, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
