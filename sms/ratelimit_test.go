package sms_test

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/sms"
)

// Two limiters (two instances) on one database share one rate: 40
// competing senders at 50/s get slots 1/50 s apart (plus the margin), never closer.
func TestRateLimiterIsDeploymentWide(t *testing.T) {
	t.Parallel()
	url := apptest.DB(t)
	var limiters []*sms.RateLimiter
	for range 2 {
		pool, err := pgxpool.New(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		limiters = append(limiters, &sms.RateLimiter{Pool: pool, Rate: 50})
	}
	var mu sync.Mutex
	var woke []time.Time
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				if err := limiters[i%2].Wait(context.Background(), 10*time.Second); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				woke = append(woke, time.Now())
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Slice(woke, func(i, j int) bool { return woke[i].Before(woke[j]) })
	span := woke[len(woke)-1].Sub(woke[0])
	rate := float64(len(woke)-1) / span.Seconds()
	t.Logf("120 sends over %s: %.2f/s", span, rate)
	if rate > 50 || rate < 45 {
		t.Errorf("rate %.2f/s, want just under 50", rate)
	}
}
