package quota_test

import (
	"errors"
	"testing"
	"time"

	"github.com/sppt/sppt/quota"
)

// A move into a day whose release draw is open is refused, saying when the
// draw closes, and changes nothing: the citizen keeps the seat they hold.
// Once the draw has run, the seats it left go to moves, first come; a day
// the draw filled is full.
func TestRescheduleIntoAnOpenDrawWaitsForIt(t *testing.T) {
	t.Parallel()
	// 00:02 WIB: 1 April was released at 00:00, its draw closes at 00:10.
	e := start(t, time.Date(2026, 3, 2, 0, 2, 0, 0, wib))
	exec(t, e.in.Pool, `UPDATE offices SET default_online = 3 WHERE code = 'JKS'`)
	drawDay, held := date("2026-04-01"), date("2026-03-04")
	closes := time.Date(2026, 3, 2, 0, 10, 0, 0, wib)
	var movers []quota.Booking
	for i := 1; i <= 2; i++ {
		b, err := e.s.Book(e.ctx, citizen(i, "JKS", held))
		if err != nil || b.Status != quota.StatusBooked {
			t.Fatalf("seat %d: %+v %v", i, b, err)
		}
		movers = append(movers, b)
	}
	for i := 3; i <= 4; i++ {
		if b, err := e.s.Book(e.ctx, citizen(i, "JKS", drawDay)); err != nil || b.Status != quota.StatusEntered {
			t.Fatalf("entry %d: %+v %v", i, b, err)
		}
	}
	used := func(day time.Time) int {
		t.Helper()
		st, err := e.s.Day(e.ctx, "JKS", day)
		if err != nil {
			t.Fatal(err)
		}
		return st.Online.Used
	}
	stillHeld := func(b quota.Booking) {
		t.Helper()
		got, err := e.s.Booking(e.ctx, b.Phone, b.Code)
		if err != nil || got.Status != quota.StatusBooked || !got.Date.Equal(held) {
			t.Fatalf("%s after a refused move: %+v %v", b.Code, got, err)
		}
	}

	_, err := e.s.Reschedule(e.ctx, movers[0].Phone, movers[0].Code, drawDay)
	var dn *quota.DateNotOpenError
	if !errors.As(err, &dn) || dn.Reason != quota.ReasonInDraw || !dn.ReleasesAt.Equal(closes) {
		t.Fatalf("move into an open draw: %v (%+v), want in_draw until %v", err, dn, closes)
	}
	stillHeld(movers[0])
	if used(held) != 2 || used(drawDay) != 0 {
		t.Fatalf("seats after a refused move: held day %d, draw day %d", used(held), used(drawDay))
	}

	// At the close the move runs the draw first: its two entrants win two of
	// the three seats, and the move takes the third.
	e.clk.Set(closes)
	moved, err := e.s.Reschedule(e.ctx, movers[0].Phone, movers[0].Code, drawDay)
	if err != nil || !moved.Date.Equal(drawDay) || moved.Status != quota.StatusBooked {
		t.Fatalf("move after the draw: %+v %v", moved, err)
	}
	if d, err := e.s.GetDraw(e.ctx, "JKS", drawDay); err != nil || d.Winners != 2 || d.Seats != 3 {
		t.Fatalf("the draw before the move: %+v %v", d, err)
	}
	if used(held) != 1 || used(drawDay) != 3 {
		t.Errorf("seats after the move: held day %d, draw day %d", used(held), used(drawDay))
	}
	// The day is now full: the next move is refused and keeps its seat.
	if _, err := e.s.Reschedule(e.ctx, movers[1].Phone, movers[1].Code, drawDay); !errors.Is(err, quota.ErrQuotaExhausted) {
		t.Fatalf("move into a day the draw filled: %v", err)
	}
	stillHeld(movers[1])
}
