package sms_test

import (
	"context"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/sms/smstest"
)

// The drain hands a broadcast to the outbox a window at a time. A phone
// that stops after the broadcast was made but before its turn gets a
// 'stopped' row and no message; a second run the same day adds only the new
// subscribers, even one that sorts before the drain's cursor; in the end
// every other subscriber has exactly one message.
func TestBroadcastDrain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake, err := smstest.Start(testAccount, testToken)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	start := func(rate float64, roles app.Roles, dbURL string) *apptest.Instance {
		return apptest.Start(t, dbURL, apptest.Options{Clock: clock.NewFake(testNow), Roles: &roles, Configure: func(c *config.Config) {
			c.TwilioAuthToken, c.TwilioAccountSID = testToken, testAccount
			c.SMSDriver, c.TwilioAPIURL, c.TwilioFrom, c.SMSRatePerSecond = "twilio", fake.URL, twilioFrom, rate
		}})
	}
	// No workers, and a rate whose window (5 s of sending, at least 50) is
	// smaller than the broadcast.
	in := start(1, app.Roles{HTTP: true}, apptest.DB(t))
	if _, err := in.App.Quota.SetDay(ctx, "JKS", time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC), 384, 40, nil, "test"); err != nil {
		t.Fatal(err)
	}
	phones := subscribe(t, in, 60) // phoneN(1) … phoneN(60)
	res, err := in.App.SMS.BroadcastQuota(ctx, "JKS")
	if err != nil || res.Queued != 60 {
		t.Fatalf("broadcast: %+v %v", res, err)
	}
	if fed, done, err := in.App.Outbox.Feed(ctx, res.ID); err != nil || fed != 50 || done {
		t.Fatalf("first step: fed %d, done %v, %v", fed, done, err)
	}
	if fed, done, err := in.App.Outbox.Feed(ctx, res.ID); err != nil || fed != 0 || done {
		t.Fatalf("with the window full: fed %d, done %v, %v", fed, done, err)
	}
	// The page counts the 10 recipients not handed over as queued too.
	rep, err := in.App.SMS.Report(ctx, "JKS")
	if err != nil || len(rep.Days) != 1 || rep.Days[0].Queued != 60 || len(rep.Casts) != 1 || rep.Casts[0].Queue != 60 || rep.Casts[0].Total != 60 {
		t.Errorf("report while draining: %+v %v", rep, err)
	}
	stopper := phones[54]
	text(t, in, stopper, "BERHENTI")
	late := []string{phoneN(0), phoneN(61)} // one before the cursor, one after
	if _, err := in.Pool.Exec(ctx, `INSERT INTO sms_subscriptions (office, phone, created_at) SELECT 'JKS', p, $2 FROM unnest($1::text[]) p`,
		late, testNow); err != nil {
		t.Fatal(err)
	}
	if again, err := in.App.SMS.BroadcastQuota(ctx, "JKS"); err != nil || again.Queued != 2 || again.ID != res.ID {
		t.Fatalf("second run: %+v %v", again, err)
	}

	// A second instance with workers sends the rest. Its rate is no part of
	// what is tested here: 50/s spreads its 50 workers' slots over a second,
	// so slow database round trips on a loaded machine (a fresh pool, the
	// race detector) still leave each sender a slot in the future to wait
	// for. At 1000/s the 50 slots span 50 ms, and a reservation that takes
	// longer than that comes back already late, again and again.
	start(50, app.Roles{HTTP: true, Workers: true}, in.DBURL)
	waitSettled(t, in, 2*time.Minute)
	counts := fake.PerRecipient()
	for _, p := range append(phones, late...) {
		want := 1
		if p == stopper {
			want = 0
		}
		if counts[p] != want {
			t.Errorf("%s received %d messages, want %d", p, counts[p], want)
		}
	}
	var rows, stopped int
	_ = in.Pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE status = 'stopped' AND to_phone = $1) FROM sms_messages`, stopper).Scan(&rows, &stopped)
	if rows != 62 || stopped != 1 {
		t.Errorf("%d outbox rows (want 62), stopper's stopped rows %d", rows, stopped)
	}
}
