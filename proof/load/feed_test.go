package load

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/proof/prooftest"
	"github.com/sppt/sppt/quota"
)

// The public queue page's live feed held open by phones on one instance:
// the clients spread over the eleven reference offices, each office's
// booth calls its next tickets, and every client of that office must get
// every call. The clients run in a child process (this test binary again,
// TestFeedClientProcess), so the server's memory per client is the
// instance's own and each process has its own sockets. Latency is from the
// call's called_at (taken before its transaction commits) to receipt.
func TestFeedHeldByManyPhones(t *testing.T) {
	wanted := prooftest.Size(300, 20000)
	calls := prooftest.Size(3, 10) // per office
	// The server's process holds one socket per client besides its own
	// files; the client process inherits the limit and needs as many.
	clients := fitFileLimit(t, wanted, 300)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	ctx := context.Background()
	var offices []string
	tokens := map[string]string{}
	for _, o := range quota.ReferenceOffices {
		offices = append(offices, o.Code)
		if err := in.App.Queue.SetBooth(ctx, o.Code, queue.Booth{Number: 1, Services: civil.OSSBoothServices}, "proof"); err != nil {
			t.Fatal(err)
		}
		day, _ := in.App.Queue.Day(ctx, o.Code, in.App.Clock.Now())
		if _, err := in.Pool.Exec(ctx, `INSERT INTO queue_tickets (office, day, number, service, walkin, issued_at)
			SELECT $1, $2, 'A' || lpad(i::text, 3, '0'), 'new', true, $3::timestamptz + i * interval '1 ms'
			FROM generate_series(1, $4) AS i`, o.Code, day, time.Now().Add(-time.Hour), calls); err != nil {
			t.Fatal(err)
		}
		tokens[o.Code] = in.OfficerToken(t, o.Code, "proof.desk."+strings.ToLower(o.Code), "desk")
	}
	before := serverMemory()
	child := startFeedClients(t, in.URL, offices, clients)
	ready := child.await(t, "ready")
	var connected, refused int
	fmt.Sscan(ready, &connected, &refused)
	after := serverMemory()

	made := map[string]int{}
	client := &http.Client{Timeout: 10 * time.Second}
	for range calls {
		for _, o := range offices {
			if callNext(client, in.URL, tokens[o]) {
				made[o]++
			}
			time.Sleep(20 * time.Millisecond) // the network's booths, one call every 20 ms
		}
	}
	// What should arrive: every planned call at every client, so a client
	// that could not connect or a call that failed does not hold.
	expected, failedCalls := clients*calls, 0
	for _, o := range offices {
		failedCalls += calls - made[o]
	}
	var counts []string
	for _, o := range offices {
		counts = append(counts, fmt.Sprintf("%s=%d", o, made[o]))
	}
	fmt.Fprintf(child.stdin, "expect %s\n", strings.Join(counts, " "))
	var res feedResult
	if err := json.Unmarshal([]byte(child.await(t, "result")), &res); err != nil {
		t.Fatal(err)
	}
	child.wait(t)
	report(t, wanted, clients, calls, len(offices), connected, expected, failedCalls, res, before, after)
}

func report(t *testing.T, wanted, clients, calls, offices, connected, expected, failedCalls int, res feedResult, before, after memory) {
	held := min(res.Delivered, expected)
	per := func(a, b uint64) string {
		if a < b {
			return "0"
		}
		return fmt.Sprintf("%.1fKB", float64(a-b)/float64(max(1, connected))/1024)
	}
	tried := fmt.Sprintf("%d SSE clients on one instance over %d offices, %d calls per office", clients, offices, calls)
	if clients < wanted {
		tried += fmt.Sprintf(" (%d wanted: as many as the open-files limit lets one process hold)", wanted)
	}
	prooftest.Line(t, "load", tried,
		held, expected, prooftest.Figure("connected", connected), prooftest.Figure("calls_failed", failedCalls),
		prooftest.Figure("delivered_pct", fmt.Sprintf("%.2f", 100*float64(res.Delivered)/float64(max(1, expected)))),
		prooftest.Figure("clients_missing_a_call", res.Missing),
		prooftest.Figure("p50", ms(time.Duration(res.P50))), prooftest.Figure("p99", ms(time.Duration(res.P99))),
		prooftest.Figure("max", ms(time.Duration(res.Max))),
		prooftest.Figure("kb_per_client", fmt.Sprintf("%.1f", float64(res.Bytes)/float64(max(1, connected))/1024)),
		prooftest.Figure("server_go_mem_per_client", per(after.goMem, before.goMem)),
		prooftest.Figure("server_rss_per_client", per(after.rss, before.rss)))
}

func callNext(client *http.Client, url, token string) bool {
	req, _ := http.NewRequest("POST", url+"/api/v1/backoffice/booths/1/call-next", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == 200
}

// memory is the process's Go heap and stacks in use, and its resident set.
type memory struct{ goMem, rss uint64 }

func serverMemory() memory {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	out := memory{goMem: m.HeapInuse + m.StackInuse}
	if raw, err := os.ReadFile("/proc/self/statm"); err == nil {
		var size, resident uint64
		fmt.Sscan(string(raw), &size, &resident)
		out.rss = resident * uint64(os.Getpagesize())
	}
	return out
}

// feedChild is the client process and the lines it prints.
type feedChild struct {
	cmd   *exec.Cmd
	stdin interface {
		Write([]byte) (int, error)
		Close() error
	}
	lines chan string
}

func startFeedClients(t *testing.T, url string, offices []string, clients int) *feedChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFeedClientProcess$", "-test.count=1", "-test.timeout=20m")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s;%s;%d", childEnv, strings.TrimPrefix(url, "http://"), strings.Join(offices, ","), clients))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &feedChild{cmd: cmd, stdin: stdin, lines: make(chan string, 16)}
	t.Cleanup(func() {
		stdin.Close()
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill() // only when the test failed before it ended
			_ = cmd.Wait()
		}
	})
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if l, ok := strings.CutPrefix(sc.Text(), childPrefix); ok {
				c.lines <- l
			}
		}
		close(c.lines)
	}()
	return c
}

// await returns the rest of the child's next line, which must begin with word.
func (c *feedChild) await(t *testing.T, word string) string {
	t.Helper()
	select {
	case l, ok := <-c.lines:
		if !ok {
			t.Fatalf("the client process ended before %q", word)
		}
		rest, found := strings.CutPrefix(l, word+" ")
		if !found {
			t.Fatalf("client process: %q, want %q", l, word)
		}
		return rest
	case <-time.After(10 * time.Minute):
		t.Fatalf("no %q from the client process in 10 minutes", word)
	}
	return ""
}

func (c *feedChild) wait(t *testing.T) {
	c.stdin.Close()
	if err := c.cmd.Wait(); err != nil {
		t.Errorf("client process: %v", err)
	}
}
