package quota_test

import (
	"sync"
	"testing"
	"time"
)

// A flusher takes its connection before its batch, so requests that arrive
// while the pool is busy join one batch. Before, each of the day's two
// flushers took the request it was started for and then waited for a
// connection with a batch of one: under a national release (120
// office-days sharing the pool) every batch stayed that small, the commits
// set the pace and the load proof's 1,000 bookings/s were answered at 120/s.
func TestBusyPoolGathersOneBatch(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 9, 0, 0, 0, wib))
	day := date("2026-03-04")
	if _, err := e.s.SetDay(e.ctx, "JKS", day, 100, 0, nil, "test"); err != nil {
		t.Fatal(err)
	}
	held := holdPool(t, e) // the whole pool, busy elsewhere
	const n = 50
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.s.Book(e.ctx, citizen(i, "JKS", day))
		}()
	}
	for deadline := time.Now().Add(5 * time.Second); e.s.Queued("JKS", day) < n-2 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the last ones into the queue too
	for _, c := range held {
		c.Release()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("booking %d: %v", i, err)
		}
	}
	// One transaction per batch: the rows of one batch share an xmin.
	if most := count(t, e.in.Pool, `SELECT max(k) FROM (SELECT count(*) AS k FROM bookings WHERE day = $1 GROUP BY xmin::text) b`, day); most != n {
		t.Errorf("largest batch %d of the %d bookings that waited together, want all", most, n)
	}
}
