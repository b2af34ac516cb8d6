package faults

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/proof/prooftest"
	"github.com/sppt/sppt/sms"
	"github.com/sppt/sppt/sms/smstest"
)

const (
	twilioAccount = "ACtest0000000000000000000000000001"
	twilioToken   = "authtoken12345"
	twilioFrom    = "+14155550100"
)

// burst is the fake Twilio's plan: out of every 40 create requests, 6 in a
// row answered 429, then 3 in a row 500, and one accepted but answered 500
// (the ambiguous case the outbox must ask Twilio about before resending).
type burst struct{ tooMany, failed, acceptedThen500 atomic.Int64 }

func (b *burst) plan(n int, _ string) smstest.Outcome {
	switch k := n % 40; {
	case k >= 10 && k < 16:
		b.tooMany.Add(1)
		return smstest.TooMany
	case k >= 25 && k < 28:
		b.failed.Add(1)
		return smstest.ServerError
	case k == 33:
		b.acceptedThen500.Add(1)
		return smstest.AcceptThen500
	}
	return smstest.Accept
}

// kill -9 of the sending instance in the middle of a broadcast while the
// fake Twilio answers bursts of 429 and 500, then a new instance: every
// subscriber ends with exactly one message at Twilio. Builds on
// sms.TestKillMidBroadcastThenRestart (one kill, no bursts). River rescues
// the killed process's jobs after jobs.RescueAfter, so this is the long one.
func TestKillMidBroadcastWithTwilioBursts(t *testing.T) {
	if testing.Short() || !prooftest.Full() {
		// make test has sms.TestKillMidBroadcastThenRestart, which pays the
		// same minute of River's rescue once; this one runs in make proof.
		t.Skip("waits about a minute for River to rescue the killed process's jobs; runs under SPPT_PROOF=1")
	}
	t.Parallel()
	n := prooftest.Size(150, 1200)
	kills := prooftest.Size(1, 2)
	dbURL := apptest.DB(t)
	fake, err := smstest.Start(twilioAccount, twilioToken)
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	var b burst
	fake.Plan = b.plan
	fake.Delay = 40 * time.Millisecond // the kill lands while accepted requests are unanswered
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	phones := make([]string, n)
	for i := range phones {
		phones[i] = fmt.Sprintf("+62812%08d", i+1)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO sms_subscriptions (office, phone, created_at) SELECT 'JKS', p, $2 FROM unnest($1::text[]) p`,
		phones, time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	rate := prooftest.Size("40", "100")
	twilio := []string{"SMS_DRIVER=twilio", "TWILIO_ACCOUNT_SID=" + twilioAccount, "TWILIO_AUTH_TOKEN=" + twilioToken,
		"TWILIO_FROM=" + twilioFrom, "TWILIO_API_URL=" + fake.URL, "SMS_RATE_PER_SECOND=" + rate}
	// The quota is set "at 08:00" so that the processes of 08:30 see it released.
	run(t, env(dbURL, "2026-06-10T08:00:00+07:00", twilio...), "quota", "set", "--office", "JKS", "--date", "2026-06-10",
		"--online", "384", "--walkin", "40")
	e := env(dbURL, "2026-06-10T08:30:00+07:00", twilio...)
	p := serve(t, e)
	if out := run(t, e, "broadcast", "quota", "--office", "JKS"); !strings.Contains(out, strconv.Itoa(n)+" messages queued") {
		t.Fatalf("broadcast: %s", out)
	}
	var atKill []string
	for k := 1; k <= kills; k++ {
		deadline := time.Now().Add(60 * time.Second)
		for fake.Creates() < n*k/(kills+1) && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		p.kill()
		atKill = append(atKill, strconv.Itoa(len(fake.Accepted())))
		p = serve(t, e)
	}
	start := time.Now()
	deadline := start.Add(time.Duration(kills) * 100 * time.Second)
	for {
		open, err := sms.Pending(ctx, pool)
		if err != nil {
			t.Fatal(err)
		}
		if open == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Logf("%d messages still unsent %v after the last restart", open, time.Since(start))
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	counts := fake.PerRecipient()
	once, twice, none := 0, 0, 0
	for _, ph := range phones {
		switch c := counts[ph]; {
		case c == 1:
			once++
		case c == 0:
			none++
		default:
			twice++
		}
	}
	fig := prooftest.Figure
	prooftest.Line(t, "faults", "SIGKILL mid-broadcast with Twilio 429/500 bursts: each subscriber received it exactly once", once, n,
		fig("kills", kills), fig("accepted_at_kills", strings.Join(atKill, "/")), fig("none", none), fig("more_than_once", twice),
		fig("twilio_429", b.tooMany.Load()), fig("twilio_500", b.failed.Load()), fig("accepted_then_500", b.acceptedThen500.Load()),
		fig("creates", fake.Creates()), fig("checks", fake.Lists()),
		fig("drained_after_restart_s", fmt.Sprintf("%.0f", time.Since(start).Seconds())))
}
