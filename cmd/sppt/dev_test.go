package main_test

import (
	"bufio"
	"context"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/db"
)

// A newcomer's first `make run` as root from a checkout inside a 0700 home
// (Debian's /root), with no PostgreSQL answering: `sppt dev` (what make run
// runs) creates and starts the private cluster where the postgres user can
// reach it, migrates and seeds it, serves, prints the sign-in code on a DEMO
// line, and on Ctrl-C stops the cluster.
func TestDevStartsFromAPrivateHome(t *testing.T) {
	if testing.Short() {
		t.Skip("initdb and a whole start take a while")
	}
	if os.Geteuid() != 0 {
		t.Skip("the 0700-home case is root's (PostgreSQL refuses to run as root)")
	}
	if m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb"); len(m) == 0 {
		t.Skip("no PostgreSQL server binaries")
	}
	home, err := os.MkdirTemp("", "sppt-home") // 0700, as /root
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(home) })
	checkout := filepath.Join(home, "sppt")
	copyCheckout(t, "../..", checkout)
	clusterDir, err := db.ClusterDir(filepath.Join(checkout, ".data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // after a failure the cluster may still run
		_ = exec.Command("runuser", "-u", "postgres", "--", pgBin(t, "pg_ctl"), "-D", filepath.Join(clusterDir, "pg"), "-m", "immediate", "stop").Run()
		os.RemoveAll(clusterDir)
	})

	pgPort := freePort(t)
	addr := freeAddr(t)
	began := time.Now()
	cmd := exec.Command(binary, "dev")
	cmd.Dir = checkout
	cmd.Env = append(os.Environ(), "DATABASE_URL=", "SPPT_ENV=development", "SMS_DRIVER=log", "PUBLIC_BASE_URL=",
		"SPPT_LOCAL_PG_ADDR=127.0.0.1:1", "SPPT_PRIVATE_PG_PORT="+pgPort, "HTTP_ADDR="+addr)
	out := &lines{}
	stdout, _ := cmd.StdoutPipe()
	var logs strings.Builder
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go out.read(stdout)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		if t.Failed() {
			t.Logf("sppt dev output:\n%s\n%s", out.String(), logs.String())
		}
	})
	base := "http://" + addr
	waitReady(t, base, 90*time.Second)
	t.Logf("sppt dev ready in %v (initdb included)", time.Since(began).Round(100*time.Millisecond))
	if !strings.Contains(out.String(), "private cluster in "+clusterDir) || !strings.Contains(out.String(), "layanan-paspor-demo") {
		t.Fatalf("the welcome does not name the private cluster %s and the password", clusterDir)
	}

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, "postgres://postgres@127.0.0.1:"+pgPort+"/sppt?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	var dataDir string
	var offices int
	if err := conn.QueryRow(ctx, "SELECT current_setting('data_directory'), (SELECT count(*) FROM offices)").Scan(&dataDir, &offices); err != nil {
		t.Fatal(err)
	}
	if dataDir != filepath.Join(clusterDir, "pg") || offices == 0 {
		t.Fatalf("data directory %s, %d offices", dataDir, offices)
	}

	// A citizen signs in with the code printed on the console.
	r, err := http.Post(base+"/api/v1/auth/otp", "application/json", strings.NewReader(`{"phone":"081234567890"}`))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	var body string
	if err := conn.QueryRow(ctx, "SELECT body FROM sms_messages WHERE kind = 'otp' ORDER BY id DESC LIMIT 1").Scan(&body); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(body)
	out.waitFor(t, regexp.MustCompile(`(?m)^DEMO sign-in SMS .*\b`+code+`\b`), 20*time.Second)

	// Ctrl-C: the server and its private cluster stop cleanly.
	_ = cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("sppt dev exited with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("sppt dev did not stop within 30 s of Ctrl-C")
	}
	if c, err := net.DialTimeout("tcp", "127.0.0.1:"+pgPort, time.Second); err == nil {
		c.Close()
		t.Fatal("the private cluster still listens after exit")
	}
	if _, err := os.Stat(filepath.Join(clusterDir, "pg", "postmaster.pid")); !os.IsNotExist(err) {
		t.Fatalf("postmaster.pid left behind: %v", err)
	}
}

// copyCheckout copies the source tree (not .git, builds or node_modules).
func copyCheckout(t *testing.T, from, to string) {
	t.Helper()
	skip := map[string]bool{".git": true, ".data": true, "node_modules": true, "bin": true}
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if skip[d.Name()] {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(to, "go.mod")); err != nil {
		t.Fatal("copy has no go.mod")
	}
}

func freePort(t *testing.T) string {
	_, port, _ := net.SplitHostPort(freeAddr(t))
	return port
}

func pgBin(t *testing.T, name string) string {
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(m) == 0 {
		return name
	}
	return m[len(m)-1]
}

// lines collects a process's output for waitFor.
type lines struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lines) read(r io.Reader) {
	s := bufio.NewScanner(r)
	for s.Scan() {
		l.mu.Lock()
		l.b.WriteString(s.Text() + "\n")
		l.mu.Unlock()
	}
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *lines) waitFor(t *testing.T, re *regexp.Regexp, within time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if re.MatchString(l.String()) {
			return
		}
	}
	t.Fatalf("no line matching %s within %v", re, within)
}
