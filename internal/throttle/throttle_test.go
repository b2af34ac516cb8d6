package throttle_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/testdb"
	"github.com/sppt/sppt/internal/throttle"
)

var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

func refused(t *testing.T, err error) *throttle.Refused {
	t.Helper()
	var r *throttle.Refused
	if !errors.As(err, &r) {
		t.Fatalf("want *throttle.Refused, got %v", err)
	}
	return r
}

// Many attempts at once: exactly Limit are counted, on two counters at once.
func TestTakeUnderConcurrency(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Pool(t, testdb.Seed{Name: "throttle"})
	perKey := throttle.Rule{Name: "test.key", Limit: 7, Window: time.Minute}
	wide := throttle.Rule{Name: "test.wide", Limit: 100, Window: time.Hour}
	const n = 40
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, full := 0, 0
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := throttle.Take(context.Background(), pool, t0, perKey.For("k"), wide.For("all"))
			mu.Lock()
			defer mu.Unlock()
			var r *throttle.Refused
			switch {
			case err == nil:
				ok++
			case errors.As(err, &r):
				full++
			default:
				t.Errorf("take: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if ok != perKey.Limit || full != n-perKey.Limit {
		t.Fatalf("%d at once: %d counted, %d refused; want %d counted", n, ok, full, perKey.Limit)
	}
	// The refused attempts counted nowhere: the wide counter holds only the 7.
	var wideN int
	if err := pool.QueryRow(context.Background(), `SELECT n FROM throttle_counters WHERE rule = 'test.wide'`).Scan(&wideN); err != nil {
		t.Fatal(err)
	}
	if wideN != perKey.Limit {
		t.Fatalf("wide counter %d, want %d", wideN, perKey.Limit)
	}
}

func TestWindowReturnAndPrune(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Pool(t, testdb.Seed{Name: "throttle"})
	ctx := context.Background()
	r := throttle.Rule{Name: "test.window", Limit: 2, Window: 10 * time.Minute}
	c := r.For("203.0.113.7")
	first, err := throttle.Take(ctx, pool, t0, c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := throttle.Take(ctx, pool, t0.Add(time.Minute), c); err != nil {
		t.Fatal(err)
	}
	_, err = throttle.Take(ctx, pool, t0.Add(2*time.Minute), c)
	if rf := refused(t, err); !rf.RetryAt.Equal(t0.Add(10*time.Minute)) || rf.Rule != "test.window" {
		t.Fatalf("refused: %+v", rf)
	}
	// A good attempt gives its slot back: one more fits.
	if err := first.Return(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if _, err := throttle.Take(ctx, pool, t0.Add(3*time.Minute), c); err != nil {
		t.Fatalf("after a slot came back: %v", err)
	}
	if _, err := throttle.Take(ctx, pool, t0.Add(4*time.Minute), c); err == nil {
		t.Fatal("third attempt in the window counted")
	}
	// The window ends 10 minutes after its first attempt; a new one starts.
	if _, err := throttle.Take(ctx, pool, t0.Add(10*time.Minute), c); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	// A slot of the old window given back now does not free the new one.
	if err := first.Return(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if _, err := throttle.Take(ctx, pool, t0.Add(11*time.Minute), c); err != nil {
		t.Fatal(err)
	}
	if _, err := throttle.Take(ctx, pool, t0.Add(11*time.Minute), c); err == nil {
		t.Fatal("an old slot returned into the new window")
	}

	// Inside a caller's transaction that rolls back, nothing stays counted.
	other := r.For("198.51.100.1")
	_ = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for i := 0; i < 2; i++ {
			if _, err := throttle.Take(ctx, tx, t0, other); err != nil {
				t.Fatal(err)
			}
		}
		return errors.New("roll back")
	})
	if _, err := throttle.Take(ctx, pool, t0, other); err != nil {
		t.Fatalf("after the caller rolled back: %v", err)
	}

	// A very long key is kept as its hash.
	long := r.For(strings.Repeat("x", 5000))
	if _, err := throttle.Take(ctx, pool, t0, long); err != nil || !strings.HasPrefix(long.Key, "sha256:") {
		t.Fatalf("long key %q: %v", long.Key[:10], err)
	}

	// Prune deletes the ended counters only.
	n, err := throttle.Prune(ctx, pool, t0.Add(15*time.Minute))
	if err != nil || n != 2 {
		t.Fatalf("prune at +15m: %d %v, want the two counters whose window began at t0", n, err)
	}
	var left []string
	rows, _ := pool.Query(ctx, `SELECT key FROM throttle_counters ORDER BY key`)
	for rows.Next() {
		var k string
		_ = rows.Scan(&k)
		left = append(left, k)
	}
	if rows.Err() != nil || len(left) != 1 || left[0] != c.Key {
		t.Fatalf("left after prune: %v %v", left, rows.Err())
	}
}
