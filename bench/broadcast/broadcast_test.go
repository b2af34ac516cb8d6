// Package broadcast benchmarks the daily quota broadcast: enqueueing 100,000
// subscribers against a raw COPY of as many rows, then sending through a fake
// Twilio at a set rate.
package broadcast

import (
	"context"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/sms/smstest"
)

const (
	subscribers = 100_000
	// Sending 100,000 at a realistic rate takes hours, so the send phase
	// measures a sample: 2,000 messages at 200/s (10 s).
	sample     = 2_000
	targetRate = 200
)

func TestBenchBroadcast(t *testing.T) {
	if os.Getenv("SPPT_BENCH") != "1" {
		t.Skip("set SPPT_BENCH=1")
	}
	ctx := context.Background()
	fake, err := smstest.Start("ACbench", "benchtoken")
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	now := time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC) // 09:00 WIB, a Wednesday
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(now), Configure: func(c *config.Config) {
		c.SMSDriver, c.TwilioAccountSID, c.TwilioAuthToken, c.TwilioFrom = "twilio", "ACbench", "benchtoken", "+14155550100"
		c.TwilioAPIURL, c.SMSRatePerSecond = fake.URL, targetRate
	}, Roles: &app.Roles{HTTP: true}}) // no workers while enqueueing
	day := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
	for _, office := range []string{"JKS", "DPS"} {
		if _, err := in.App.Quota.SetDay(ctx, office, day, 384, 40, nil, "bench"); err != nil {
			t.Fatal(err)
		}
	}
	subscribe(t, in, "JKS", subscribers, 0)

	// Baseline: COPY the same number of message rows into a scratch table.
	if _, err := in.Pool.Exec(ctx, `CREATE TABLE bench_copy (LIKE sms_messages INCLUDING DEFAULTS)`); err != nil {
		t.Fatal(err)
	}
	rows := make([][]any, subscribers)
	for i := range rows {
		p := fmt.Sprintf("+62812%08d", i)
		rows[i] = []any{"broadcast:quota:JKS:2026-06-10:" + p, p, "sms", "broadcast", "JKS",
			"Kuota Kanim Jakarta Selatan 10-06-2026: online sisa 384/384, walk-in sisa 40/40. Balas BERHENTI untuk berhenti.", now, now, int64(1)}
	}
	start := time.Now()
	_, err = in.Pool.CopyFrom(ctx, pgx.Identifier{"bench_copy"}, []string{"idem_key", "to_phone", "channel", "kind", "office", "body",
		"created_at", "updated_at", "broadcast_id"}, pgx.CopyFromRows(rows))
	if err != nil {
		t.Fatal(err)
	}
	copyS := time.Since(start).Seconds()

	start = time.Now()
	res, err := in.App.SMS.BroadcastQuota(ctx, "JKS")
	if err != nil || res.Queued != subscribers {
		t.Fatalf("broadcast: %+v %v", res, err)
	}
	enqueueS := time.Since(start).Seconds()
	// The 100,000 stay queued (their drain job is removed); the send phase
	// works on a separate sample.
	if _, err := in.App.Jobs.DeleteKinds(ctx, "sms_send", "sms_broadcast_drain"); err != nil {
		t.Fatal(err)
	}

	subscribe(t, in, "DPS", sample, subscribers)
	if _, err := in.App.SMS.BroadcastQuota(ctx, "DPS"); err != nil {
		t.Fatal(err)
	}
	worker := apptest.Start(t, in.DBURL, apptest.Options{Clock: clock.NewFake(now), Configure: func(c *config.Config) {
		c.SMSDriver, c.TwilioAccountSID, c.TwilioAuthToken, c.TwilioFrom = "twilio", "ACbench", "benchtoken", "+14155550100"
		c.TwilioAPIURL, c.SMSRatePerSecond = fake.URL, targetRate
	}, Roles: &app.Roles{HTTP: true, Workers: true}})
	_ = worker
	deadline := time.Now().Add(3 * time.Minute)
	for len(fake.Accepted()) < sample && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	msgs := fake.Accepted()
	if len(msgs) < sample {
		t.Fatalf("only %d of %d sent", len(msgs), sample)
	}
	at := make([]time.Time, len(msgs))
	for i, m := range msgs {
		at[i] = m.At
	}
	sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
	rate := float64(len(at)-1) / at[len(at)-1].Sub(at[0]).Seconds()
	hist := map[int]int{}
	for _, a := range at {
		hist[int(a.Sub(at[0])/time.Second)]++
	}
	t.Logf("per second: %v", hist)
	dups := 0
	for _, c := range fake.PerRecipient() {
		dups += c - 1
	}
	fmt.Printf("broadcast: subscribers=%d enqueue_s=%.2f copy_baseline_s=%.2f ratio=%.2f send_rate=%.0f target_rate=%d duplicates=%d\n",
		subscribers, enqueueS, copyS, enqueueS/copyS, rate, targetRate, dups)
}

func subscribe(t *testing.T, in *apptest.Instance, office string, n, offset int) {
	t.Helper()
	_, err := in.Pool.Exec(context.Background(), `INSERT INTO sms_subscriptions (office, phone, created_at)
		SELECT $1, '+62812' || lpad((i + $3)::text, 8, '0'), '2026-06-01' FROM generate_series(0, $2 - 1) i`, office, n, offset)
	if err != nil {
		t.Fatal(err)
	}
}
