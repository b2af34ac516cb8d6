// Package load is the load proof of issue 14, part 2, item 1 ("load
// held"): a national release booked by citizens arriving at a fixed
// offered rate over two instances sharing one database, and the public
// queue feed held open by many phones on one instance.
//
// The fast subset runs inside `make test`; SPPT_PROOF=1 runs the full
// sizes (20,000 citizens at 1,000, 2,000 and 4,000 bookings/s; 20,000 SSE
// clients). Each figure is one prooftest.Line.
package load

import (
	"syscall"
	"testing"
	"time"
)

var wib, _ = time.LoadLocation("Asia/Jakarta")

// fitFileLimit lifts the open-files limit towards want+headroom (past the
// hard limit where the process may) and returns how many sockets fit: want,
// or fewer where the hard limit is lower. A process without
// CAP_SYS_RESOURCE cannot pass its hard limit, and one process holds the
// server's end of every feed.
func fitFileLimit(t *testing.T, want, headroom int) int {
	t.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	need := uint64(want + headroom)
	if lim.Cur < need {
		up := syscall.Rlimit{Cur: need, Max: max(lim.Max, need)}
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &up); err != nil {
			lim.Cur = lim.Max // as far as the hard limit goes
			_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
		}
		_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
	fit := min(want, int(lim.Cur)-headroom)
	if fit < want {
		t.Logf("open-files limit %d (hard %d): %d sockets fit, not %d", lim.Cur, lim.Max, fit, want)
	}
	if fit < want/2 {
		t.Skipf("open-files limit %d is far below the %d this size needs", lim.Cur, need)
	}
	return fit
}

// pct is the p-th percentile of sorted durations.
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

// ms formats a duration for a figure: milliseconds, one decimal below 10.
func ms(d time.Duration) string {
	if d < 10*time.Millisecond {
		return time.Duration(d.Round(100 * time.Microsecond)).String()
	}
	return d.Round(time.Millisecond).String()
}
