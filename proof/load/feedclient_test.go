package load

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// childEnv carries the client process's orders: address;offices;clients.
const (
	childEnv    = "SPPT_LOAD_FEED_CLIENTS"
	childPrefix = "feed-clients: "
)

// feedResult is what the client process reports (durations in ns).
type feedResult struct {
	Delivered, Missing int
	Bytes              int64
	P50, P99, Max      int64
}

// TestFeedClientProcess is the client side of TestFeedHeldByManyPhones,
// run only as its child: it connects the clients (from several loopback
// addresses, so 20,000 sockets do not exhaust one address's ports), says
// "ready connected refused" once each has its snapshot, and after
// "expect N" on stdin waits for N calls (or 15 s), then reports.
func TestFeedClientProcess(t *testing.T) {
	orders := os.Getenv(childEnv)
	if orders == "" {
		t.Skip("the client process of TestFeedHeldByManyPhones")
	}
	parts := strings.Split(orders, ";")
	addr, offices := parts[0], strings.Split(parts[1], ",")
	n, _ := strconv.Atoi(parts[2])
	fc := &feedClients{addr: addr, stop: make(chan struct{}), got: make([]int, n), snapped: make([]bool, n)}
	fc.connect(offices, n)
	fmt.Printf("%sready %d %d\n", childPrefix, fc.connected.Load(), int64(n)-fc.connected.Load())

	made := map[string]int{} // calls made per office, from "expect JKS=3 JKB=3 …"
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "expect "); ok {
			for _, f := range strings.Fields(rest) {
				o, k, _ := strings.Cut(f, "=")
				made[o], _ = strconv.Atoi(k)
			}
			break
		}
	}
	var expected int64
	for i := range n {
		if fc.connectedAt(i) {
			expected += int64(made[offices[i%len(offices)]])
		}
	}
	deadline := time.Now().Add(15 * time.Second)
	for fc.delivered.Load() < expected && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	close(fc.stop)
	fc.done.Wait()
	out, _ := json.Marshal(fc.result(offices, made))
	fmt.Printf("%sresult %s\n", childPrefix, out)
}

type feedClients struct {
	addr      string
	stop      chan struct{}
	ready     sync.WaitGroup
	done      sync.WaitGroup
	connected atomic.Int64
	delivered atomic.Int64
	bytes     atomic.Int64
	mu        sync.Mutex
	latencies []time.Duration
	got       []int  // calls each client received
	snapped   []bool // which clients had their snapshot
}

func (fc *feedClients) connectedAt(i int) bool {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return fc.snapped[i]
}

// connect opens n feeds, 256 connecting at a time, and returns when each
// has its snapshot or has failed.
func (fc *feedClients) connect(offices []string, n int) {
	sem := make(chan struct{}, 256)
	fc.ready.Add(n)
	fc.done.Add(n)
	for i := range n {
		sem <- struct{}{}
		go fc.client(i, offices[i%len(offices)], sem)
	}
	fc.ready.Wait()
}

func (fc *feedClients) client(i int, office string, sem chan struct{}) {
	defer fc.done.Done()
	readyOnce := sync.OnceFunc(func() { <-sem; fc.ready.Done() })
	defer readyOnce()
	local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(2+i%8))}
	conn, err := (&net.Dialer{LocalAddr: local, Timeout: 30 * time.Second}).Dial("tcp", fc.addr)
	if err != nil {
		return
	}
	defer conn.Close()
	go func() { <-fc.stop; conn.Close() }()
	fmt.Fprintf(conn, "GET /api/v1/offices/%s/feed HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n", office, fc.addr)
	r := bufio.NewReaderSize(conn, 4096)
	var lat []time.Duration
	event, snapshot := "", false
	for {
		line, err := r.ReadString('\n')
		fc.bytes.Add(int64(len(line)))
		if err != nil {
			break
		}
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimSpace(line[7:])
		case strings.HasPrefix(line, "data: ") && event == "snapshot":
			if !snapshot {
				snapshot = true
				fc.mu.Lock()
				fc.snapped[i] = true
				fc.mu.Unlock()
				fc.connected.Add(1)
				readyOnce()
			}
		case strings.HasPrefix(line, "data: ") && event == "call":
			var c struct {
				CalledAt time.Time `json:"called_at"`
			}
			if json.Unmarshal([]byte(line[6:]), &c) == nil {
				lat = append(lat, time.Since(c.CalledAt))
				fc.got[i]++
				fc.delivered.Add(1)
			}
		}
	}
	fc.mu.Lock()
	fc.latencies = append(fc.latencies, lat...)
	fc.mu.Unlock()
}

// result sums up; Missing counts the connected clients that did not get
// every call their office made.
func (fc *feedClients) result(offices []string, made map[string]int) feedResult {
	slices.Sort(fc.latencies)
	res := feedResult{Delivered: int(fc.delivered.Load()), Bytes: fc.bytes.Load()}
	if len(fc.latencies) > 0 {
		res.P50, res.P99 = int64(pct(fc.latencies, 50)), int64(pct(fc.latencies, 99))
		res.Max = int64(fc.latencies[len(fc.latencies)-1])
	}
	for i, g := range fc.got {
		if fc.snapped[i] && g < made[offices[i%len(offices)]] {
			res.Missing++
		}
	}
	return res
}
