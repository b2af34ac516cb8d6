package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/quota"
)

// The first bookings of a fresh instance word their SMS inside the batch's
// transaction, and the office list was then read through the main pool
// under the list's mutex: one batch waited for a connection while every
// connection's batch waited for the mutex, and the pool stood still until
// the batches' 30 s timeout (500s; found by the load proof's warm-up, 120
// offices at once). The same for an office added since the list was read.
// Now the list is read through a connection of its own, and every first
// booking of 44 office-days at once is answered within seconds.
func TestFirstBookingsOfManyOfficesDoNotDeadlockThePool(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	days := []string{"2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"}
	var reqs [][2]string
	for _, o := range quota.ReferenceOffices {
		for _, d := range days {
			in.SetQuota(t, o.Code, apptest.Day(d), 0, 0)
			reqs = append(reqs, [2]string{o.Code, d}, [2]string{o.Code, d})
		}
	}
	client := &http.Client{Timeout: 10 * time.Second}
	status := make([]int, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		tok := in.CitizenToken(t, fmt.Sprintf("+62813%07d", i))
		body, _ := json.Marshal(map[string]string{"office": r[0], "date": r[1], "service": "new",
			"nik": fmt.Sprintf("3174010101%02d%04d", 70+i/9000, i%9000+1), "full_name": "Pemohon Uji", "birth_date": fmt.Sprintf("19%02d-01-01", 70+i/9000), "sex": "M"})
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", in.URL+"/api/v1/bookings", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			if resp, err := client.Do(req); err == nil {
				resp.Body.Close()
				status[i] = resp.StatusCode
			}
		}()
	}
	wg.Wait()
	for i, st := range status {
		if st != 201 {
			t.Errorf("booking %d (%s %s): %d, want 201 (0: no answer within 10 s)", i, reqs[i][0], reqs[i][1], st)
		}
	}
}
