package quota_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/quota"
)

// Admission control: with the database's connections all busy, a process
// queues at most MaxQueued bookings and refuses the rest at once; the
// queued ones leave after MaxQueueWait untaken. Both are ErrBusy (a 503
// with Retry-After to the caller), nothing of them is written, and the
// count returns to zero so the next booking goes through. Before, every
// request waited for a connection as long as its caller would: the load
// proof's 2,000 bookings/s ended in phones' 30 s timeouts, not answers.
func TestAdmissionRefusesWhatTheDatabaseCannotTake(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 9, 0, 0, 0, wib))
	day := date("2026-03-04")
	if _, err := e.s.SetDay(e.ctx, "JKS", day, 100, 0, nil, "test"); err != nil {
		t.Fatal(err)
	}
	e.s.MaxQueued, e.s.MaxQueueWait = 10, 300*time.Millisecond
	held := holdPool(t, e)
	const n = 25
	var wg sync.WaitGroup
	errs := make([]error, n)
	took := make([]time.Duration, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			_, errs[i] = e.s.Book(e.ctx, citizen(i, "JKS", day))
			took[i] = time.Since(t0)
		}()
	}
	wg.Wait() // every answer came while the pool was still held
	if q := e.s.QueuedTotal(); q != 0 {
		t.Errorf("%d still counted as queued after every caller was answered, want 0", q)
	}
	fast := 0
	for i, err := range errs {
		if !errors.Is(err, quota.ErrBusy) || !db.Transient(err) {
			t.Fatalf("booking %d: %v, want ErrBusy (transient: a 503 with Retry-After)", i, err)
		}
		if took[i] < 250*time.Millisecond {
			fast++ // refused at the door, not after waiting
		}
	}
	if fast != n-10 {
		t.Errorf("%d of %d refused at once, want the %d beyond MaxQueued", fast, n, n-10)
	}
	for _, c := range held {
		c.Release()
	}
	if got := count(t, e.in.Pool, `SELECT count(*) FROM bookings WHERE day = $1`, day); got != 0 {
		t.Errorf("%d bookings written for refused requests, want 0", got)
	}
	if _, err := e.s.Book(e.ctx, citizen(99, "JKS", day)); err != nil {
		t.Errorf("a booking once the database is free: %v", err)
	}
}
