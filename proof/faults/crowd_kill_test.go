package faults

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/proof/prooftest"
)

const (
	crowdNow  = "2026-06-10T08:30:00+07:00"
	crowdDate = "2026-06-12"
)

// Two `sppt serve` on one database, a crowd booking through both, and one
// of them killed with SIGKILL part-way (full: killed and restarted again,
// alternating). A client whose request died with its instance sends it
// again to the other one, as a citizen's browser retrying would; it ends
// with a booking (201, or a 409 active_booking_exists naming the booking an
// earlier, unanswered attempt made) or quota_exhausted.
func TestKillOneOfTwoInstancesMidCrowd(t *testing.T) {
	t.Parallel()
	seats := prooftest.Size(200, 3000)
	n := seats + seats/5
	clients := prooftest.Size(12, 48)
	kills := prooftest.Size(1, 3)
	t0 := time.Now()
	dbURL := apptest.DB(t)
	now, _ := time.Parse(time.RFC3339, crowdNow)
	e := env(dbURL, crowdNow)
	run(t, e, "quota", "set", "--office", "JKS", "--date", crowdDate, "--online", strconv.Itoa(seats), "--walkin", "40")
	people := crowd(t, 1, n, now)
	t.Logf("db, quota, tokens: %v", time.Since(t0))
	f := &fleet{procs: []*proc{serve(t, e), serve(t, e)}}
	t.Logf("two instances up: %v", time.Since(t0))

	c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	final := make([]answer, n)
	var answered, cut atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				final[i] = bookUntilAnswered(c, f, people[i], i, &cut)
				answered.Add(1)
			}
		}()
	}
	// The kills, spread over the crowd: each at the next fraction of answers.
	killed := 0
	for k := 1; k <= kills; k++ {
		for answered.Load() < int64(n*k/(kills+1)) {
			time.Sleep(2 * time.Millisecond)
		}
		f.kill(k % 2)
		killed++
		if k < kills { // bring it back before the other one goes
			f.restart(t, k%2, e)
		}
	}
	wg.Wait()
	t.Logf("crowd done: %v", time.Since(t0))
	checkCrowd(t, dbURL, f, people, final, seats, killed, cut.Load())
}

// fleet is the instances a crowd books through; a killed one is skipped
// until it is replaced.
type fleet struct {
	mu    sync.Mutex
	procs []*proc
}

func (f *fleet) pick(i int) *proc {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k := range f.procs {
		if p := f.procs[(i+k)%len(f.procs)]; p.alive() {
			return p
		}
	}
	return nil
}

func (f *fleet) kill(k int) {
	f.mu.Lock()
	p := f.procs[k]
	f.mu.Unlock()
	p.kill()
}

func (f *fleet) restart(t *testing.T, k int, env []string) {
	p := serve(t, env)
	f.mu.Lock()
	f.procs[k] = p
	f.mu.Unlock()
}

// bookUntilAnswered sends a's booking until an instance answers it for
// good: a lost answer (the instance died) or a 503 is sent again, to the
// next live instance.
func bookUntilAnswered(c *http.Client, f *fleet, a applicant, i int, cut *atomic.Int64) answer {
	for try := 0; ; try++ {
		p := f.pick(i + try)
		if p == nil {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		ans := book(c, p.URL, a, "JKS", crowdDate)
		switch {
		case ans.err != nil:
			cut.Add(1)
		case ans.status == 503:
		default:
			return ans
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkCrowd prints the crowd's lines from the database and the answers.
func checkCrowd(t *testing.T, dbURL string, f *fleet, people []applicant, final []answer, seats, killed int, cut int64) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	type row struct{ code, status string }
	rows := map[string][]row{} // by NIK, every booking of the day
	r, err := pool.Query(ctx, `SELECT nik, code, status FROM bookings WHERE office = 'JKS' AND day = $1`, crowdDate)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var nik string
		var b row
		if err := r.Scan(&nik, &b.code, &b.status); err != nil {
			t.Fatal(err)
		}
		rows[nik] = append(rows[nik], b)
	}
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	var acked, ackedHeld, agree, once, told201, told409, soldOut, other int
	for i, a := range people {
		ans, got := final[i], rows[a.nik]
		if len(got) <= 1 {
			once++
		}
		switch {
		case ans.status == 201 || ans.status == 409 && ans.code == "active_booking_exists":
			if ans.status == 201 {
				told201++
			} else {
				told409++
			}
			acked++
			if len(got) == 1 && got[0].code == ans.booking && got[0].status == "booked" {
				ackedHeld++
				agree++
			}
		case ans.status == 409 && ans.code == "quota_exhausted":
			soldOut++
			if len(got) == 0 {
				agree++
			}
		default:
			other++
			t.Logf("applicant %d: %d %s", i, ans.status, ans.code)
		}
	}
	var booked, capacity, inRows int
	if err := pool.QueryRow(ctx, `SELECT online_booked, online_capacity FROM quota_days WHERE office = 'JKS' AND day = $1`,
		crowdDate).Scan(&booked, &capacity); err != nil {
		t.Fatal(err)
	}
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM bookings WHERE office = 'JKS' AND day = $1 AND status = 'booked'`, crowdDate).Scan(&inRows)
	remaining := remainingSeats(t, f.pick(0).URL)
	seatsHeld := 0
	if booked == inRows && inRows == capacity-remaining && inRows <= capacity && inRows == ackedHeld {
		seatsHeld = 1
	}
	fig := prooftest.Figure
	area := "faults"
	what := "SIGKILL of one of two instances mid-crowd"
	prooftest.Line(t, area, what+": every acknowledged booking is in the database", ackedHeld, acked,
		fig("applicants", len(people)), fig("seats", seats), fig("kills", killed), fig("answers_lost_to_kills", cut),
		fig("told_201", told201), fig("told_409_own_booking", told409))
	prooftest.Line(t, area, what+": no NIK booked twice", once, len(people))
	prooftest.Line(t, area, what+": every final answer agrees with the database", agree, len(people),
		fig("sold_out", soldOut), fig("other_answers", other))
	prooftest.Line(t, area, what+": seats taken = capacity − remaining = booking rows", seatsHeld, 1,
		fig("capacity", capacity), fig("remaining", remaining), fig("counter", booked), fig("rows", inRows))
}

// remainingSeats reads the day's remaining online seats from the API.
func remainingSeats(t *testing.T, base string) int {
	resp, err := http.Get(base + "/api/v1/offices/JKS/quota?from=" + crowdDate + "&days=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var cal struct {
		Days []struct {
			Online struct{ Remaining int } `json:"online"`
		} `json:"days"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&cal); err != nil || len(cal.Days) != 1 {
		t.Fatalf("quota calendar: %v %+v", err, cal)
	}
	return cal.Days[0].Online.Remaining
}
