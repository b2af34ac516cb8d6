package faults

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
)

// binary is `sppt`, built once for every proof here (as sms/crash_test.go
// and cmd/sppt/main_test.go do). Without -race: the proofs run several
// serving processes on two shared cores, and the race detector's cost
// would change the timing of the faults more than it would find.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sppt-faults")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "sppt")
	if out, err := exec.Command("go", "build", "-o", binary, "github.com/sppt/sppt/cmd/sppt").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// jwtSecret lets the test mint the tokens the processes accept.
const jwtSecret = "sppt-faults-proof-jwt-secret-32-bytes!!"

// env is what every sppt process of a proof gets: the database, the test
// environment, one SPPT_NOW timeline and the shared signing key.
func env(dbURL, now string, more ...string) []string {
	return append(append(os.Environ(), "DATABASE_URL="+dbURL, "SPPT_ENV=test", "SPPT_NOW="+now,
		"JWT_SECRET="+jwtSecret), more...)
}

// run runs one sppt command to its end.
func run(t testing.TB, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sppt %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// proc is one `sppt serve` process.
type proc struct {
	cmd  *exec.Cmd
	URL  string
	logs *apptest.LogBuffer
	done chan struct{}
}

// serve starts `sppt serve` on a free loopback port and waits until it is
// ready. The test's end kills it; its logs are shown when the test failed.
func serve(t testing.TB, env []string) *proc {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := &proc{URL: "http://" + addr, logs: &apptest.LogBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(binary, "serve")
	p.cmd.Env = append(env, "HTTP_ADDR="+addr, "PUBLIC_BASE_URL="+p.URL)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("sppt serve %s logs (tail):\n%s", addr, p.logs.Tail(4000))
		}
	})
	if !waitStatus(p.URL+"/readyz", 200, 30*time.Second) {
		t.Fatalf("sppt serve %s not ready within 30 s:\n%s", addr, p.logs.Tail(4000))
	}
	return p
}

// kill is kill -9, and waits for the process to be gone.
func (p *proc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// alive says whether the process still runs (it was not killed and did not exit).
func (p *proc) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// waitStatus polls url until it answers want, or gives up after within.
func waitStatus(url string, want int, within time.Duration) bool {
	deadline := time.Now().Add(within)
	c := &http.Client{Timeout: 3 * time.Second}
	for time.Now().Before(deadline) {
		if r, err := c.Get(url); err == nil {
			r.Body.Close()
			if r.StatusCode == want {
				return true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}
