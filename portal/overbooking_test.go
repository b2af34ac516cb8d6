package portal_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
)

// Issue 3, "Done when": two instances, 5 seats, 120 concurrent attempts from
// 30 citizens → exactly 5 bookings, remaining 0, every other attempt a clean
// 409/429.
func TestPortalNoOverbookingAcrossTwoInstances(t *testing.T) {
	t.Parallel()
	db := apptest.DB(t)
	a := apptest.Start(t, db, apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	b := apptest.Start(t, db, apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	a.OpenDay(t, "JKS", "2026-03-04", 5, 10)

	const citizens, perCitizen = 30, 4
	birth := "1988-07-09"
	type result struct {
		status int
		code   string
	}
	results := make(chan result, citizens*perCitizen)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for c := 0; c < citizens; c++ {
		phone := fmt.Sprintf("+62812%08d", 1000+c)
		tok := a.CitizenToken(t, phone)
		for k := 0; k < perCitizen; k++ {
			in := a
			if (c+k)%2 == 1 {
				in = b
			}
			// The last attempt of each citizen repeats their first NIK, so a
			// winner meets active_booking_exists; the rest are distinct people.
			seq := 1 + c*perCitizen + k%(perCitizen-1)
			body := bookingBody("JKS", "2026-03-04", apptest.NIK(birth, false, seq), "Andi Wijaya", "1988-07-09", "M")
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				r := in.Do(t, "POST", "/api/v1/bookings", tok, body)
				results <- result{r.Status, r.ErrorCode()}
			}()
		}
	}
	close(start)
	wg.Wait()
	close(results)
	counts := map[string]int{}
	booked := 0
	for r := range results {
		switch {
		case r.status == 201:
			booked++
		case (r.status == 409 && (r.code == "quota_exhausted" || r.code == "active_booking_exists")) ||
			(r.status == 429 && r.code == "phone_booking_limit"):
			counts[r.code]++
		default:
			t.Errorf("unclean answer: %d %q", r.status, r.code)
		}
	}
	if booked != 5 {
		t.Fatalf("booked %d seats of 5 (others: %v)", booked, counts)
	}
	r := b.Do(t, "GET", "/api/v1/offices/JKS/quota?from=2026-03-04&days=1", "", nil)
	if !contains(r.Body, `"online":{"capacity":5,"booked":5,"remaining":0}`) {
		t.Fatalf("quota after the rush: %s", r.Body)
	}
	var n int
	if err := a.Pool.QueryRow(t.Context(), `SELECT count(*) FROM bookings WHERE office = 'JKS' AND day = '2026-03-04' AND status = 'booked'`).Scan(&n); err != nil || n != 5 {
		t.Fatalf("bookings rows: %d %v", n, err)
	}
	t.Logf("5 booked; refusals: %v", counts)
}
