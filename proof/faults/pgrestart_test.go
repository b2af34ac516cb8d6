package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/ssetest"
	"github.com/sppt/sppt/proof/prooftest"
)

// PostgreSQL restarted under a running `sppt serve` with booking clients
// sending all along. SPPT is not restarted: it must say 503 on /readyz while
// the database is away, then 200 again; a booking answered 201 must be
// there afterwards; and every answer meanwhile is a success or a 503 with
// Retry-After in the contract's error shape, never a 500 (the probe saw 149
// answers of 500 in 2 s under 8 clients before db.Transient).
func TestPostgresRestartMidLoad(t *testing.T) {
	t.Parallel()
	clients := prooftest.Size(8, 16)
	restarts := prooftest.Size(1, 3)
	cl := privateCluster(t)
	dbURL := cl.srv.URL
	now, _ := time.Parse(time.RFC3339, crowdNow)
	e := env(dbURL, crowdNow)
	run(t, e, "migrate")
	run(t, e, "seed")
	run(t, e, "quota", "set", "--office", "JKS", "--date", crowdDate, "--online", "20000", "--walkin", "40")
	p := serve(t, e)
	display := ssetest.Open(t, &http.Client{}, p.URL+"/api/v1/offices/JKS/feed")
	if _, ok := display.Next("snapshot", 5*time.Second); !ok {
		t.Fatal("no first snapshot")
	}
	ready := watchReadyz(p.URL)
	people := crowd(t, 1, 20000, now)
	load := startLoad(p.URL, people, clients)

	time.Sleep(time.Second) // load before the fault
	var back, snapshots int
	for range restarts {
		mark := ready.mark()
		if err := cl.restart(); err != nil {
			t.Fatalf("pg_ctl restart: %v", err)
		}
		if waitStatus(p.URL+"/readyz", 200, 30*time.Second) && ready.wentDownSince(mark) {
			back++
		}
		if _, ok := display.Next("snapshot", 10*time.Second); ok {
			snapshots++
		}
		time.Sleep(time.Second) // load after the fault
	}
	answers := load.stop()
	ready.stop()
	sameProcess := p.alive()
	checkRestart(t, dbURL, people, answers, restarts, back, snapshots, ready, sameProcess)
}

// readyz polls /readyz every 25 ms and keeps what it saw.
type readyz struct {
	mu      sync.Mutex
	seen    []int // status per poll (0: no answer)
	badDown int   // 503s without Retry-After or the error shape
	done    chan struct{}
}

func watchReadyz(base string) *readyz {
	r := &readyz{done: make(chan struct{})}
	c := &http.Client{Timeout: 3 * time.Second}
	go func() {
		for {
			select {
			case <-r.done:
				return
			case <-time.After(25 * time.Millisecond):
			}
			status := 0
			if resp, err := c.Get(base + "/readyz"); err == nil {
				status = resp.StatusCode
				var e errorBody
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if status == 503 && (resp.Header.Get("Retry-After") == "" || json.Unmarshal(raw, &e) != nil ||
					e.Error == nil || e.Error.Code == nil || e.Error.Message == nil) {
					r.mu.Lock()
					r.badDown++
					r.mu.Unlock()
				}
			}
			r.mu.Lock()
			r.seen = append(r.seen, status)
			r.mu.Unlock()
		}
	}()
	return r
}

func (r *readyz) mark() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}

// wentDownSince says whether a 503 was seen after poll i.
func (r *readyz) wentDownSince(i int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.seen[i:] {
		if s == 503 {
			return true
		}
	}
	return false
}

func (r *readyz) count(status int) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, s := range r.seen {
		if s == status {
			n++
		}
	}
	return n
}

func (r *readyz) stop() { close(r.done) }

// load is booking clients sending until stopped; each applicant is sent
// again after a 503 (a 409 active_booking_exists naming its own booking
// then says the unanswered attempt had committed).
type load struct {
	stopped atomic.Bool
	wg      sync.WaitGroup
	mu      sync.Mutex
	answers []booked
}

type booked struct {
	who int
	answer
}

func startLoad(base string, people []applicant, clients int) *load {
	l := &load{}
	c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var next atomic.Int64
	for range clients {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for !l.stopped.Load() {
				i := int(next.Add(1)) - 1
				if i >= len(people) {
					return
				}
				for !l.stopped.Load() {
					ans := book(c, base, people[i], "JKS", crowdDate)
					l.mu.Lock()
					l.answers = append(l.answers, booked{who: i, answer: ans})
					l.mu.Unlock()
					if ans.status != 503 {
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
		}()
	}
	return l
}

func (l *load) stop() []booked {
	l.stopped.Store(true)
	l.wg.Wait()
	return l.answers
}

func checkRestart(t *testing.T, dbURL string, people []applicant, answers []booked, restarts, back, snapshots int, ready *readyz, same bool) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var good, ok201, own409, busy, s500, noAnswer, other, acked, kept int
	for _, a := range answers {
		switch {
		case a.err != nil:
			noAnswer++
		case a.status == 201 && a.shaped:
			good++
			ok201++
		case a.status == 409 && a.code == "active_booking_exists" && a.booking != "":
			good++
			own409++
		case a.status == 503 && a.shaped && a.retryAfter != "":
			good++
			busy++
		case a.status == 500:
			s500++
		default:
			other++
		}
		if a.err == nil && a.status >= 500 && !(a.status == 503 && a.shaped && a.retryAfter != "") && s500+other < 5 {
			t.Logf("answer %d %q (retry-after %q, shaped %v)", a.status, a.code, a.retryAfter, a.shaped)
		}
		if a.booking == "" || a.status != 201 && a.status != 409 {
			continue
		}
		acked++
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM bookings WHERE code = $1 AND nik = $2 AND status = 'booked'`,
			a.booking, people[a.who].nik).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			kept++
		}
	}
	fig := prooftest.Figure
	what := fmt.Sprintf("PostgreSQL restarted mid-load (%d× pg_ctl restart -m fast)", restarts)
	held := back
	if !same {
		held = 0
	}
	prooftest.Line(t, "faults", what+": /readyz went 503 and back to 200, SPPT not restarted", held, restarts,
		fig("readyz_503", ready.count(503)), fig("readyz_200", ready.count(200)), fig("readyz_503_unshaped", ready.badDown),
		fig("same_process", same))
	prooftest.Line(t, "faults", what+": every answer a success or a 503 with Retry-After in the error shape", good, len(answers),
		fig("201", ok201), fig("409_own_booking", own409), fig("503", busy), fig("500", s500), fig("other", other),
		fig("no_answer", noAnswer))
	prooftest.Line(t, "faults", what+": nothing acknowledged lost", kept, acked)
	prooftest.Line(t, "faults", what+": a connected display got a fresh snapshot after each restart", snapshots, restarts)
}
