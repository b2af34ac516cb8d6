package sms_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/sms"
	"github.com/sppt/sppt/sms/smstest"
)

// kill -9 of the serving process in the middle of a broadcast, then a
// restart: every subscriber still ends with exactly one message at Twilio.
// The fake holds each answer 40 ms after recording the message, so the kill
// lands while requests Twilio accepted are unanswered (the uncertain case).
func TestKillMidBroadcastThenRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and waits for the rescue of a dead process's jobs")
	}
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "sppt")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/sppt/sppt/cmd/sppt").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dbURL := apptest.DB(t)
	fake, err := smstest.Start(testAccount, testToken)
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	fake.Delay = 40 * time.Millisecond
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	const n = 120
	phones := make([]string, n)
	for i := range phones {
		phones[i] = phoneN(i + 1)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO sms_subscriptions (office, phone, created_at) SELECT 'JKS', p, $2 FROM unnest($1::text[]) p`,
		phones, testNow); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "SPPT_ENV=test", "SPPT_NOW=2026-06-10T08:30:00+07:00",
		"SMS_DRIVER=twilio", "TWILIO_ACCOUNT_SID="+testAccount, "TWILIO_AUTH_TOKEN="+testToken, "TWILIO_FROM="+twilioFrom,
		"TWILIO_API_URL="+fake.URL, "SMS_RATE_PER_SECOND=40")
	// Every sppt process's clock starts at SPPT_NOW: the quota is set "at
	// 08:00" so that the later processes, starting at 08:30, see it released.
	run := func(now string, args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(env, "SPPT_NOW="+now)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("sppt %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("2026-06-10T08:00:00+07:00", "quota", "set", "--office", "JKS", "--date", "2026-06-10", "--online", "384", "--walkin", "40")

	first := serve(t, bin, env)
	if out := run("2026-06-10T08:30:00+07:00", "broadcast", "quota", "--office", "JKS"); !strings.Contains(out, fmt.Sprintf("%d messages queued", n)) {
		t.Fatalf("broadcast: %s", out)
	}
	deadline := time.Now().Add(30 * time.Second)
	for fake.Creates() < n/3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	atKill := len(fake.Accepted())
	if atKill >= n {
		t.Fatalf("the broadcast finished before the kill (%d sent)", atKill)
	}
	var inFlight int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM sms_messages WHERE status = 'sending'`).Scan(&inFlight)
	t.Logf("killed after %d of %d messages; %d were mid-send", atKill, n, inFlight)

	second := serve(t, bin, env)
	defer func() { _ = second.Process.Signal(syscall.SIGTERM); _ = second.Wait() }()
	deadline = time.Now().Add(90 * time.Second)
	for {
		open, err := sms.Pending(ctx, pool)
		if err != nil {
			t.Fatal(err)
		}
		if open == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages still unsent 90 s after the restart", open)
		}
		time.Sleep(200 * time.Millisecond)
	}
	counts := fake.PerRecipient()
	for _, p := range phones {
		if counts[p] != 1 {
			t.Errorf("%s received %d messages, want exactly 1", p, counts[p])
		}
	}
	t.Logf("after restart: %d messages at Twilio, %d create requests, %d uncertain-message checks", len(fake.Accepted()), fake.Creates(), fake.Lists())
}

// serve starts `sppt serve` on a free loopback port and waits until it is ready.
func serve(t *testing.T, bin string, env []string) *exec.Cmd {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(env, "HTTP_ADDR="+addr, "PUBLIC_BASE_URL=http://"+addr)
	if os.Getenv("SPPT_TEST_LOG") != "" {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if r, err := http.Get("http://" + addr + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return cmd
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	t.Fatal("sppt serve not ready within 20 s")
	return nil
}
