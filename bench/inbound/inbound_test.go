// Package inbound benchmarks Twilio's inbound webhook: signed KUOTA queries
// at concurrency 64 against a real instance.
package inbound

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/sms/smstest"
)

const (
	concurrency = 64
	requests    = 20_000
	token       = "benchtoken"
)

func TestBenchInbound(t *testing.T) {
	if os.Getenv("SPPT_BENCH") != "1" {
		t.Skip("set SPPT_BENCH=1")
	}
	now := time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(now), Configure: func(c *config.Config) {
		c.TwilioAuthToken, c.TwilioAccountSID = token, "ACbench"
	}})
	if _, err := in.App.Quota.SetDay(context.Background(), "JKS", time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC), 384, 40, nil, "bench"); err != nil {
		t.Fatal(err)
	}
	target := in.URL + "/api/v1/sms/inbound"
	bodies := make([]string, requests)
	sigs := make([]string, requests)
	for i := range bodies {
		form := url.Values{"MessageSid": {fmt.Sprintf("SMbench%025d", i)}, "AccountSid": {"ACbench"},
			"From": {fmt.Sprintf("whatsapp:+62812%08d", i%5000)}, "To": {"whatsapp:+14155550100"}, "Body": {"KUOTA JKS"}}
		bodies[i], sigs[i] = form.Encode(), smstest.Sign(token, target, form)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency}}
	lat := make([]time.Duration, requests)
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	start := time.Now()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= requests {
					return
				}
				req, _ := http.NewRequest("POST", target, strings.NewReader(bodies[k]))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Twilio-Signature", sigs[k])
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				lat[k] = time.Since(t0)
				if resp.StatusCode != 200 {
					t.Errorf("status %d", resp.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	p99 := lat[len(lat)*99/100]
	fmt.Printf("inbound: req_per_s=%.0f p99_ms=%.1f\n", float64(requests)/elapsed.Seconds(), float64(p99.Microseconds())/1000)
}
