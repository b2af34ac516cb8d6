package quota

import (
	"testing"
	"time"
)

// Refusals are told to come back spread over the time their number needs at
// the rate batches were taken: 2,000 refused while 1,000 were taken in 2 s
// (500/s) is 4 s, so the waits run from 1 s to 4 s and not all at one.
func TestRetryAfterSpreadsTheRefused(t *testing.T) {
	now := time.Now()
	a := admission{start: now}
	a.refused, a.taken = 2000, 1000
	seen := map[int]int{}
	for range 1000 {
		d := a.retryAfter()
		if d < time.Second || d > 4*time.Second {
			t.Fatalf("retry after %v, want 1 s to 4 s", d)
		}
		seen[int(d.Seconds())]++
	}
	for s := 1; s <= 3; s++ {
		if seen[s] < 200 {
			t.Errorf("only %d of 1,000 waits in second %d: not spread (%v)", seen[s], s, seen)
		}
	}
	// A quiet process refuses with the short wait, and an idle gap forgets.
	a.roll(now.Add(10 * time.Second))
	if d := a.retryAfter(); d > 2*time.Second {
		t.Errorf("after an idle gap: %v, want at most 2 s", d)
	}
}
