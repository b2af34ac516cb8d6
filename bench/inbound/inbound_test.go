// Package inbound benchmarks Twilio's inbound webhook: signed KUOTA queries
// at concurrency 64 against a real instance.
package inbound

import (
	"context"
	"fmt"
	"io"
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
				_, _ = io.Copy(io.Discard, resp.Body) // read to EOF, or the connection is not reused
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
	slow := 0 // p99 outliers in the first second (connections and caches warming up)
	for k := range lat[:min(len(lat), 2000)] {
		if lat[k] > 50*time.Millisecond {
			slow++
		}
	}
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	t.Logf("p50 %v p90 %v p99 %v max %v; over 50 ms among the first 2000: %d", lat[len(lat)/2], lat[len(lat)*9/10], lat[len(lat)*99/100], lat[len(lat)-1], slow)
	p99 := lat[len(lat)*99/100]
	fmt.Printf("inbound: req_per_s=%.0f p99_ms=%.1f\n", float64(requests)/elapsed.Seconds(), float64(p99.Microseconds())/1000)
}
