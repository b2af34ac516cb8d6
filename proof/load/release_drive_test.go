package load

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/proof/prooftest"
)

// request is one booking as sent: citizen, office, instance, body, token.
type request struct {
	citizen int
	office  string
	in      int // which instance
	resend  bool
	body    []byte
	token   string
}

// answer is what came back, timed from the scheduled send.
type answer struct {
	status     int // 0: no answer (connection error or client timeout)
	code       string
	booking    string // the 201's booking code
	retryAfter bool
	retryWait  string        // its value
	tries      int           // sends, the first and each retry after a 503's Retry-After
	busy       int           // 503s met on the way
	latency    time.Duration // to the final answer
	lag        time.Duration // how late the schedule actually sent it
	at         time.Time     // when the answer arrived
}

// run is one offered rate against one released day.
type run struct {
	t        *testing.T
	ins      []*apptest.Instance
	clients  []*http.Client
	day      time.Time
	seatsPer int
	reqs     []request
	answers  []answer
	start    time.Time
}

// newRun builds the requests: citizens spread evenly over the offices,
// alternately at the two instances, and after every 99 a resend of the
// booking made 50 before (the double tap). Tokens and bodies are made
// before the clock starts, so the sender does nothing but send.
func newRun(t *testing.T, ins []*apptest.Instance, clients []*http.Client, offices []string, day time.Time, citizens, k int) *run {
	r := &run{t: t, ins: ins, clients: clients, day: day, seatsPer: max(1, citizens*9/10/len(offices))}
	base := (k + 1) * 100_000 // each rate's citizens are other people
	for c := 0; c < citizens; c++ {
		i := base + c
		r.reqs = append(r.reqs, request{citizen: i, office: offices[c%len(offices)], in: len(r.reqs) % 2,
			body: bookingBody(i, offices[c%len(offices)], day), token: ins[0].CitizenToken(t, phone(i))})
		if c%99 == 98 && c >= 50 {
			again := r.reqs[len(r.reqs)-51]
			again.resend, again.in = true, len(r.reqs)%2
			r.reqs = append(r.reqs, again)
		}
	}
	r.answers = make([]answer, len(r.reqs))
	return r
}

// drive sends request i at start + i/rate whatever has come back: an open
// loop, so a slow server meets the same arrivals and its queueing shows in
// the latencies instead of slowing the senders (no coordinated omission).
func (r *run) drive(rate int) {
	r.start = time.Now().Add(50 * time.Millisecond)
	var wg sync.WaitGroup
	for i := range r.reqs {
		at := r.start.Add(time.Duration(i) * time.Second / time.Duration(rate))
		if d := time.Until(at); d > 0 {
			time.Sleep(d)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.answers[i] = r.send(r.reqs[i], at)
		}()
	}
	wg.Wait()
}

// maxTries is how often a phone sends a booking refused with 503: the
// portal's page waits the Retry-After and tries again, as a citizen would.
const maxTries = 8

// send books q at its scheduled time and, refused with 503 and a
// Retry-After, again after that wait (plus up to a second, so the refused
// do not come back as one wave), up to maxTries.
func (r *run) send(q request, at time.Time) answer {
	a := answer{lag: time.Since(at)}
	for a.tries < maxTries {
		a.tries++
		r.try(q, &a)
		a.latency = a.at.Sub(at)
		if a.status != 503 || !a.retryAfter {
			return a
		}
		a.busy++
		wait, _ := strconv.Atoi(a.retryWait)
		time.Sleep(time.Duration(wait)*time.Second + time.Duration(rand.Int64N(int64(time.Second))))
	}
	return a
}

// try is one send of q; a connection error or timeout leaves status 0.
func (r *run) try(q request, a *answer) {
	a.status, a.code, a.booking, a.retryAfter, a.retryWait = 0, "", "", false, ""
	req, _ := http.NewRequest("POST", r.ins[q.in].URL+"/api/v1/bookings", bytes.NewReader(q.body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+q.token)
	resp, err := r.clients[q.in].Do(req)
	a.at = time.Now()
	if err != nil {
		return
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	a.at, a.status = time.Now(), resp.StatusCode
	a.retryWait = resp.Header.Get("Retry-After")
	a.retryAfter = a.retryWait != ""
	var body struct {
		BookingCode string `json:"booking_code"`
		Error       struct{ Code string }
	}
	_ = json.Unmarshal(raw, &body)
	a.booking, a.code = body.BookingCode, body.Error.Code
}

// warmUp is not measured: each instance's phones load a calendar and book
// for another day at the first offices (every office in the full run), so
// the release meets open HTTP connections and database sessions that have
// run the booking statements, as on servers that have been up all morning.
func warmUp(t *testing.T, ins []*apptest.Instance, clients []*http.Client, offices []string) {
	t.Helper()
	day := apptest.Day("2026-04-20")
	offices = offices[:prooftest.Size(16, len(offices))]
	release(t, ins[0], offices, day, 4)
	tokens := make([]string, 2*len(offices))
	for c := range tokens {
		tokens[c] = ins[0].CitizenToken(t, phone(5_000_000+c))
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 128)
	for c := range tokens {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			in, cl, o := ins[c%2], clients[c%2], offices[c/2]
			if resp, err := cl.Get(in.URL + "/api/v1/offices/" + o + "/quota?from=2026-04-01&to=2026-04-20"); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			req, _ := http.NewRequest("POST", in.URL+"/api/v1/bookings", bytes.NewReader(bookingBody(5_000_000+c, o, day)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tokens[c])
			resp, err := cl.Do(req)
			if err != nil {
				t.Errorf("warm-up booking: %v", err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 201 {
				t.Errorf("warm-up booking at %s: %d", o, resp.StatusCode)
			}
		}()
	}
	wg.Wait()
}
