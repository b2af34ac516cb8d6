package edge_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/proof/prooftest"
)

// The README's "Attempt limits" for citizen OTP.
const (
	triesPerCode    = 5
	codesPerPhone   = 3
	codesPerClient  = 30
	failsPerClient  = 50
	phoneGuessBound = codesPerPhone * triesPerCode // guesses one phone's codes can take in a window
)

// checks collects the invariants a proof line counts.
type checks struct {
	t         *testing.T
	held, all int
}

func (c *checks) that(ok bool, format string, args ...any) {
	c.t.Helper()
	c.all++
	if ok {
		c.held++
	} else {
		c.t.Errorf(format, args...)
	}
}

var (
	clientsMu sync.Mutex
	clientsOf = map[*apptest.Instance]map[int]*apptest.Instance{}
)

// client is in as seen from the n-th loopback address other than the
// test's own (one connection pool per address, kept for the test).
func client(in *apptest.Instance, n int) *apptest.Instance {
	clientsMu.Lock()
	defer clientsMu.Unlock()
	if clientsOf[in] == nil {
		clientsOf[in] = map[int]*apptest.Instance{}
	}
	if c, ok := clientsOf[in][n]; ok {
		return c
	}
	c := in.From(fmt.Sprintf("127.0.%d.%d", 1+n/250, 2+n%250))
	clientsOf[in][n] = c
	return c
}

// TestOTPAndSMSLimits runs the guessing and pumping proofs one after the
// other on one instance: each fills a connection pool, and the pumping
// proof counts every sign-in SMS, so it goes first.
func TestOTPAndSMSLimits(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	t.Run("pumping", func(t *testing.T) { smsPumpingWithinTheCaps(t, in) })
	t.Run("guessing", func(t *testing.T) { otpGuessingNeverFindsTheCode(t, in) })
}

// concurrently runs f(i) for i < n at once and tallies the statuses.
func concurrently(n int, f func(i int) int) map[int]int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	got := map[int]int{}
	for i := range n {
		wg.Go(func() {
			st := f(i)
			mu.Lock()
			got[st]++
			mu.Unlock()
		})
	}
	wg.Wait()
	return got
}

func otpBody(phone string) []byte { return []byte(`{"phone":"` + phone + `"}`) }

func verifyBody(phone, code string) []byte {
	return []byte(`{"phone":"` + phone + `","code":"` + code + `"}`)
}

// wrongCode is a six-digit code other than right.
func wrongCode(right string) string {
	for {
		if c := fmt.Sprintf("%06d", rand.IntN(1_000_000)); c != right {
			return c
		}
	}
}

// otpGuessingNeverFindsTheCode guesses one phone's sign-in codes from
// many client addresses at once, then from one: each code takes 5 wrong
// tries however many arrive together, then not even the right code opens
// it; the phone gets 3 codes per window (so 15 guesses in all), and one
// client's 51st wrong code is refused before it is checked — even the
// right one.
func otpGuessingNeverFindsTheCode(t *testing.T, in *apptest.Instance) {
	c := &checks{t: t}
	clients, each := prooftest.Size(8, 50), prooftest.Size(3, 10)
	const phone = "+6281355500001"
	sent, found := 0, 0
	for k := range codesPerPhone {
		st := client(in, 1000+k).Send("POST", "/api/v1/auth/otp", otpBody(phone))
		c.that(st == 202, "code %d for the phone: %d, want 202", k+1, st)
		right := in.LastOTP(t, phone)
		got := concurrently(clients*each, func(i int) int {
			return client(in, i%clients).Send("POST", "/api/v1/auth/verify", verifyBody(phone, wrongCode(right)))
		})
		sent += clients * each
		c.that(got[401] == clients*each, "wrong guesses from %d clients: %v, want all 401", clients, got)
		st = client(in, 2000+k).Send("POST", "/api/v1/auth/verify", verifyBody(phone, right))
		sent++
		if st == 200 {
			found++
		}
		c.that(st == 401, "the right code after %d wrong guesses at once: %d, want 401 (used up)", clients*each, st)
	}
	st := client(in, 3000).Send("POST", "/api/v1/auth/otp", otpBody(phone))
	c.that(st == 429, "a 4th code for the phone from a new client: %d, want 429", st)
	var checked int
	if err := in.Pool.QueryRow(context.Background(), `SELECT coalesce(sum(attempts), 0) FROM citizen_otps WHERE phone = $1`, phone).Scan(&checked); err != nil {
		t.Fatal(err)
	}
	c.that(checked <= phoneGuessBound, "guesses checked against the phone's codes: %d, want ≤ %d", checked, phoneGuessBound)

	perClient := oneClientsGuesses(t, in, c)
	prooftest.Line(t, "otp-guessing", fmt.Sprintf("one phone's codes guessed by %d clients at once, then one client past its limit", clients),
		c.held, c.all, prooftest.Figure("guesses_sent", sent+perClient), prooftest.Figure("checked_against_a_live_code", checked),
		prooftest.Figure("bound", phoneGuessBound), prooftest.Figure("right_code_found", found))
}

// oneClientsGuesses: one client's wrong codes at once past its 50: exactly
// 50 are checked, the rest refused; then that client's right code for a
// live, untouched code is refused too, while from elsewhere it signs in.
func oneClientsGuesses(t *testing.T, in *apptest.Instance, c *checks) int {
	const target, other = "+6281355500002", "+6281355500003"
	n := failsPerClient + prooftest.Size(10, 50)
	guesser := client(in, 4000)
	got := concurrently(n, func(int) int {
		return guesser.Send("POST", "/api/v1/auth/verify", verifyBody(target, "000000"))
	})
	c.that(got[401] == failsPerClient && got[429] == n-failsPerClient,
		"%d wrong codes at once from one client: %v, want %d×401 and the rest 429", n, got, failsPerClient)
	c.that(client(in, 4001).Send("POST", "/api/v1/auth/otp", otpBody(other)) == 202, "a code for a second phone")
	right := in.LastOTP(t, other)
	st := guesser.Send("POST", "/api/v1/auth/verify", verifyBody(other, right))
	c.that(st == 429, "the right code from the client past its limit: %d, want 429", st)
	st = client(in, 4002).Send("POST", "/api/v1/auth/verify", verifyBody(other, right))
	c.that(st == 200, "the same right code from another client: %d, want 200 (the refusal was the client's)", st)
	return n + 1
}
