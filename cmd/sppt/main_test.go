package main_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/testdb"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sppt-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "sppt")
	if out, err := exec.Command("go", "build", "-race", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func sppt(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	if err != nil {
		return out.String() + stderr.String(), err
	}
	return out.String(), nil
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startServe(t *testing.T, dbURL string, args ...string) (*exec.Cmd, string) {
	addr := freeAddr(t)
	cmd := exec.Command(binary, append([]string{"serve"}, args...)...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "HTTP_ADDR="+addr)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("serve %s logs:\n%s", addr, logs.String())
		}
	})
	return cmd, "http://" + addr
}

func waitReady(t *testing.T, base string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if r, err := http.Get(base + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s not ready within %v", base, within)
}

// Two `sppt serve --migrate` started at the same moment against one empty
// database both come up, and every migration is applied once.
func TestTwoInstancesStartingTogetherMigrateOnce(t *testing.T) {
	t.Parallel()
	dbURL := testdb.Empty(t)
	var bases []string
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, base := startServe(t, dbURL, "--migrate")
			mu.Lock()
			bases = append(bases, base)
			mu.Unlock()
		}()
	}
	wg.Wait()
	for _, b := range bases {
		waitReady(t, b, 60*time.Second)
	}
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var dups int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM (SELECT version_id FROM goose_db_version
		WHERE version_id > 0 GROUP BY version_id HAVING count(*) > 1) d`).Scan(&dups); err != nil || dups != 0 {
		t.Fatalf("duplicate migrations: %d (%v)", dups, err)
	}
}

func TestOperatorCommands(t *testing.T) {
	t.Parallel()
	dbURL := apptest.DB(t)
	env := []string{"DATABASE_URL=" + dbURL}

	out, err := sppt(t, env, "seed", "--demo")
	if err != nil || !strings.Contains(out, "jks.desk") || !strings.Contains(out, "token ") {
		t.Fatalf("seed --demo: %v\n%s", err, out)
	}
	if out, err := sppt(t, env, "officer", "add", "--office", "JKS", "--username", "budi", "--password", "password", "--roles", "desk"); err == nil {
		t.Fatalf("a blocklisted password was accepted: %s", out)
	}
	if out, err := sppt(t, env, "officer", "add", "--office", "JKS", "--username", "budi", "--password", "teh-manis-hangat", "--roles", "desk,adjudicator"); err != nil {
		t.Fatalf("officer add: %v %s", err, out)
	}
	out, err = sppt(t, env, "device", "add", "--office", "JKS", "--kind", "kiosk", "--name", "Kiosk Lantai 2")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	if err != nil || strings.Count(token, ".") != 2 || strings.Contains(token, " ") {
		t.Fatalf("device add must print the token as the last line: %v\n%s", err, out)
	}
	if out, err := sppt(t, env, "audit", "verify"); err != nil || !strings.Contains(out, "audit ok") {
		t.Fatalf("audit verify on a fresh seed: %v %s", err, out)
	}
	if out, err := sppt(t, append(env, "SPPT_NOW=2026-03-02T08:00:00+07:00", "SPPT_ENV=production"), "migrate"); err == nil || !strings.Contains(out, "SPPT_NOW") {
		t.Fatalf("SPPT_NOW accepted in production: %s", out)
	}
	if out, err := sppt(t, append(env, "SPPT_ENV=production"), "seed", "--demo"); err == nil || !strings.Contains(out, "demo data") {
		t.Fatalf("seed --demo accepted in production: %v %s", err, out)
	}
	citizen, err := sppt(t, env, "token", "citizen", "--phone", "0812-3456-7890")
	if err != nil || strings.Count(strings.TrimSpace(citizen), ".") != 2 {
		t.Fatalf("token citizen: %v %s", err, citizen)
	}
	if out, err := sppt(t, env, "token", "citizen", "--phone", "021555123"); err == nil {
		t.Fatalf("a landline got a citizen token: %s", out)
	}

	// The officer just added logs in against a served instance; SIGTERM stops it cleanly.
	cmd, base := startServe(t, dbURL)
	waitReady(t, base, 30*time.Second)
	resp, err := http.Post(base+"/api/v1/backoffice/login", "application/json", strings.NewReader(`{"username":"budi","password":"teh-manis-hangat"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login after officer add: %v %v", err, resp)
	}
	resp.Body.Close()
	start := time.Now()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(12 * time.Second):
		t.Fatal("not stopped within 10 s of SIGTERM")
	}
	t.Logf("graceful stop took %v", time.Since(start).Round(time.Millisecond))
}
