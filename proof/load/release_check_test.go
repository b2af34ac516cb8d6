package load

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sppt/sppt/proof/prooftest"
)

// tally counts the answers of one run by kind.
type tally struct {
	answered, created, soldOut, duplicate, busy, busyNoRetry, unanswered int
	busyMet, retried                                                     int // 503s on the way; requests sent more than once
	other                                                                map[string]int
	latencies                                                            []time.Duration
	lags                                                                 []time.Duration
	last                                                                 time.Time
	soldOutAt                                                            map[string]bool // offices that refused someone as sold out
	codes                                                                map[string]int  // 201 booking codes, how many times given
}

func (r *run) tally() tally {
	t := tally{other: map[string]int{}, soldOutAt: map[string]bool{}, codes: map[string]int{}}
	for i, a := range r.answers {
		t.lags = append(t.lags, a.lag)
		t.busyMet += a.busy
		if a.tries > 1 {
			t.retried++
		}
		if a.status == 0 {
			t.unanswered++
			continue
		}
		t.answered++
		t.latencies = append(t.latencies, a.latency)
		if a.at.After(t.last) {
			t.last = a.at
		}
		switch {
		case a.status == 201:
			t.created++
			t.codes[a.booking]++
		case a.status == 409 && a.code == "quota_exhausted":
			t.soldOut++
			t.soldOutAt[r.reqs[i].office] = true
		case a.status == 409 && a.code == "active_booking_exists":
			t.duplicate++
		case a.status == 503 && a.code == "database_busy":
			t.busy++
			if !a.retryAfter {
				t.busyNoRetry++
			}
		default:
			t.other[fmt.Sprintf("%d %s", a.status, a.code)]++
		}
	}
	slices.Sort(t.latencies)
	slices.Sort(t.lags)
	return t
}

// seats is what the database holds for the run's day, over all offices.
type seats struct {
	capacity, counter, rows, overbooked, counterOff, leftWhileSoldOut int
	codes                                                             map[string]bool
	niksTwice                                                         int
}

func (r *run) seats(ctx context.Context, soldOutAt map[string]bool) seats {
	s := seats{codes: map[string]bool{}}
	rows, err := r.ins[0].Pool.Query(ctx, `SELECT q.office, q.online_capacity, q.online_booked,
		(SELECT count(*) FROM bookings b WHERE b.office = q.office AND b.day = q.day AND b.status = 'booked')
		FROM quota_days q WHERE q.day = $1`, r.day)
	if err != nil {
		r.t.Fatal(err)
	}
	for rows.Next() {
		var office string
		var capacity, counter, n int
		if err := rows.Scan(&office, &capacity, &counter, &n); err != nil {
			r.t.Fatal(err)
		}
		s.capacity, s.counter, s.rows = s.capacity+capacity, s.counter+counter, s.rows+n
		s.overbooked += max(0, n-capacity, counter-capacity)
		if n != counter {
			s.counterOff++
		}
		if soldOutAt[office] && capacity-counter > 0 {
			s.leftWhileSoldOut++ // someone was told "sold out" while a seat was free
		}
	}
	if err := rows.Err(); err != nil {
		r.t.Fatal(err)
	}
	codes, err := r.ins[0].Pool.Query(ctx, `SELECT code FROM bookings WHERE day = $1 AND status = 'booked'`, r.day)
	if err != nil {
		r.t.Fatal(err)
	}
	for codes.Next() {
		var c string
		_ = codes.Scan(&c)
		s.codes[c] = true
	}
	_ = r.ins[0].Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT nik FROM bookings WHERE day = $1 AND status = 'booked'
		GROUP BY nik HAVING count(*) > 1) x`, r.day).Scan(&s.niksTwice)
	return s
}

// report prints the run's line: held are the requests answered as
// expected, less every seat the database got wrong.
func (r *run) report(ctx context.Context, rate int) {
	t := r.tally()
	s := r.seats(ctx, t.soldOutAt)
	lost, duplicated := 0, s.niksTwice
	for code, n := range t.codes {
		if !s.codes[code] {
			lost++ // answered 201, not in the database
		}
		duplicated += n - 1
	}
	gaveUp := 0 // booked in the database after the client gave up waiting (its "none" answer)
	for code := range s.codes {
		if t.codes[code] == 0 {
			gaveUp++
		}
	}
	expected := t.created + t.soldOut + t.duplicate + t.busy - t.busyNoRetry
	// A booking that outlived its client's patience is counted once, as
	// the unanswered request it was (not in expected).
	wrong := s.overbooked + lost + duplicated + s.leftWhileSoldOut + s.counterOff
	held := max(0, expected-wrong)
	if len(t.other) > 0 {
		r.t.Logf("unexpected answers at %d/s: %v", rate, t.other)
	}
	elapsed := t.last.Sub(r.start)
	offered, taps := len(r.reqs), 0
	for _, q := range r.reqs {
		if q.resend {
			taps++
		}
	}
	prooftest.Line(r.t, "load", fmt.Sprintf("national release of 120 offices at %d bookings/s offered on 2 instances (%d citizens, %d double taps)",
		rate, offered-taps, taps), held, offered,
		prooftest.Figure("answered", t.answered), prooftest.Figure("p50", ms(pct(t.latencies, 50))),
		prooftest.Figure("p99", ms(pct(t.latencies, 99))), prooftest.Figure("max", ms(pct(t.latencies, 100))),
		prooftest.Figure("achieved_per_s", fmt.Sprintf("%.0f", float64(t.answered)/elapsed.Seconds())),
		prooftest.Figure("send_lag_p99", ms(pct(t.lags, 99))),
		prooftest.Figure("201", t.created), prooftest.Figure("409_sold_out", t.soldOut),
		prooftest.Figure("409_duplicate", t.duplicate), prooftest.Figure("503_met", t.busyMet), prooftest.Figure("retried", t.retried),
		prooftest.Figure("503_after_8_tries", t.busy),
		prooftest.Figure("unexpected", other(t)),
		prooftest.Figure("taken", s.rows), prooftest.Figure("capacity", s.capacity),
		prooftest.Figure("remaining", s.capacity-s.counter),
		prooftest.Figure("overbooked", s.overbooked), prooftest.Figure("lost", lost),
		prooftest.Figure("duplicated", duplicated), prooftest.Figure("refused_with_seats_left", s.leftWhileSoldOut),
		prooftest.Figure("counter_mismatch", s.counterOff), prooftest.Figure("booked_after_client_gave_up", gaveUp))
}

// other names the unexpected answers: statuses with their codes, and the
// requests the client gave up on after its 30 s timeout.
func other(t tally) string {
	var parts []string
	for k, n := range t.other {
		parts = append(parts, fmt.Sprintf("%s×%d", k, n))
	}
	if t.unanswered > 0 {
		parts = append(parts, fmt.Sprintf("no_answer_in_30s×%d", t.unanswered))
	}
	if t.busyNoRetry > 0 {
		parts = append(parts, fmt.Sprintf("503 without Retry-After×%d", t.busyNoRetry))
	}
	slices.Sort(parts)
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, " ")
}
