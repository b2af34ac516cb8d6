// Package feed measures the live display feed: 2,000 SSE clients on one
// instance while booths make 200 calls.
package feed

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
)

const (
	clients = 2000
	calls   = 200
)

// TestBenchFeed: every client must receive every call; latency is from the
// call's called_at (taken before its transaction commits, so it includes
// the commit) to receipt.
func TestBenchFeed(t *testing.T) {
	if os.Getenv("SPPT_BENCH") != "1" {
		t.Skip("set SPPT_BENCH=1 to run benchmarks")
	}
	raiseFileLimit(t)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	ctx := context.Background()
	if err := in.App.Queue.SetBooth(ctx, "JKS", queue.Booth{Number: 1, Services: civil.OSSBoothServices}, "bench"); err != nil {
		t.Fatal(err)
	}
	day, _ := in.App.Queue.Day(ctx, "JKS", in.App.Clock.Now())
	if _, err := in.Pool.Exec(ctx, `INSERT INTO queue_tickets (office, day, number, service, walkin, issued_at)
		SELECT 'JKS', $1, 'A' || lpad(i::text, 3, '0'), 'new', true, $2::timestamptz + i * interval '1 ms'
		FROM generate_series(1, $3) AS i`, day, time.Now().Add(-time.Hour), calls); err != nil {
		t.Fatal(err)
	}
	token := in.OfficerToken(t, "JKS", "bench.desk", "desk")
	addr := strings.TrimPrefix(in.URL, "http://")

	var (
		mu        sync.Mutex
		latencies = make([]time.Duration, 0, clients*calls)
		bytesRead atomic.Int64
		delivered atomic.Int64
		ready     sync.WaitGroup
		done      sync.WaitGroup
	)
	stop := make(chan struct{})
	ready.Add(clients)
	done.Add(clients)
	for i := 0; i < clients; i++ {
		go func() {
			defer done.Done()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Error(err)
				ready.Done()
				return
			}
			defer conn.Close()
			go func() { <-stop; conn.Close() }()
			fmt.Fprintf(conn, "GET /api/v1/offices/JKS/feed HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n", addr)
			r := bufio.NewReaderSize(conn, 4096)
			var local []time.Duration
			snapshot, event := false, ""
			for {
				line, err := r.ReadString('\n')
				bytesRead.Add(int64(len(line)))
				if err != nil {
					break
				}
				switch {
				case strings.HasPrefix(line, "event: "):
					event = strings.TrimSpace(line[7:])
				case strings.HasPrefix(line, "data: ") && event == "snapshot" && !snapshot:
					snapshot = true
					ready.Done()
				case strings.HasPrefix(line, "data: ") && event == "call":
					var c struct {
						CalledAt time.Time `json:"called_at"`
					}
					if json.Unmarshal([]byte(line[6:]), &c) == nil {
						local = append(local, time.Since(c.CalledAt))
						delivered.Add(1)
					}
				}
			}
			if !snapshot {
				ready.Done()
			}
			mu.Lock()
			latencies = append(latencies, local...)
			mu.Unlock()
		}()
	}
	ready.Wait()

	client := &http.Client{}
	for i := 0; i < calls; i++ {
		req, _ := http.NewRequest("POST", in.URL+"/api/v1/backoffice/booths/1/call-next", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("call %d: %v %v", i, err, resp)
		}
		resp.Body.Close()
		time.Sleep(10 * time.Millisecond) // a busy office: 100 calls a second
	}
	deadline := time.Now().Add(10 * time.Second)
	for delivered.Load() < clients*calls && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	close(stop)
	done.Wait()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	p99 := time.Duration(0)
	if len(latencies) > 0 {
		p99 = latencies[len(latencies)*99/100]
	}
	pct := 100 * float64(delivered.Load()) / float64(clients*calls)
	fmt.Printf("feed: clients=%d delivered_pct=%.1f p99_ms=%d kb_per_client=%.1f\n",
		clients, pct, p99.Milliseconds(), float64(bytesRead.Load())/clients/1024)
}

// raiseFileLimit lifts the soft open-files limit to the hard one: 2,000
// clients and their 2,000 server ends need more than a default 1,024.
func raiseFileLimit(t *testing.T) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			t.Logf("open-files limit stays %d: %v", lim.Cur, err)
		}
	}
	if lim.Cur < 2*clients+200 {
		t.Skipf("open-files limit %d is below %d", lim.Cur, 2*clients+200)
	}
}
