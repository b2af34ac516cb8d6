package events_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/internal/events"
	"github.com/sppt/sppt/internal/testdb"
)

// Two processes' worth of pools: an event published in a transaction on one
// reaches the other's subscribers on commit, and never on rollback.
func TestPublishReachesOtherProcessOnCommitOnly(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	poolA, url := testdb.Pool(t, testdb.Seed{})
	poolB, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer poolB.Close()
	hub := events.NewHub(poolB, slog.Default())
	go hub.Run(ctx)
	<-hub.Ready()
	jks := hub.Subscribe("JKS", 8)
	all := hub.Subscribe("", 8)
	defer jks.Close()

	rollback := errors.New("rollback")
	_ = pgx.BeginFunc(ctx, poolA, func(tx pgx.Tx) error {
		_ = events.Publish(ctx, tx, "JKS", "call", map[string]string{"ticket": "A000"}, time.Now())
		return rollback
	})
	if err := pgx.BeginFunc(ctx, poolA, func(tx pgx.Tx) error {
		if err := events.Publish(ctx, tx, "DPS", "call", map[string]string{"ticket": "B001"}, time.Now()); err != nil {
			return err
		}
		return events.Publish(ctx, tx, "JKS", "call", map[string]string{"ticket": "A001"}, time.Now())
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-jks.C:
		if e.Office != "JKS" || string(e.Data) != `{"ticket":"A001"}` {
			t.Fatalf("got %+v (a rolled-back or other office's event leaked?)", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	got := 0
	for got < 2 {
		select {
		case <-all.C:
			got++
		case <-time.After(5 * time.Second):
			t.Fatalf("all-offices subscriber got %d of 2", got)
		}
	}
}

func TestSlowSubscriberNeverBlocksFanOut(t *testing.T) {
	hub := events.NewHub(nil, slog.Default())
	slow := hub.Subscribe("JKS", 1)
	fast := hub.Subscribe("JKS", 100)
	done := make(chan struct{})
	go func() {
		for i := 0; i < 50; i++ {
			hub.Deliver(events.Event{Office: "JKS", Type: "call"})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Deliver blocked on a slow subscriber")
	}
	if len(fast.C) != 50 || len(slow.C) != 1 || hub.Dropped() != 49 {
		t.Fatalf("fast=%d slow=%d dropped=%d", len(fast.C), len(slow.C), hub.Dropped())
	}
	slow.Close()
	<-slow.C // the one buffered event
	if _, open := <-slow.C; open {
		t.Fatal("closed subscriber's channel still open")
	}
}

// A group commit's events arrive in the order given, one statement for all.
func TestPublishManyKeepsOrder(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pool, _ := testdb.Pool(t, testdb.Seed{})
	hub := events.NewHub(pool, slog.Default())
	go hub.Run(ctx)
	<-hub.Ready()
	sub := hub.Subscribe("JKS", 8)
	defer sub.Close()
	evs := []events.Outgoing{{"JKS", "call", "A001"}, {"JKS", "call", "A002"}, {"JKS", "quota", "x"}}
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return events.PublishMany(ctx, tx, evs, time.Now()) }); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"A001"`, `"A002"`, `"x"`} {
		select {
		case e := <-sub.C:
			if string(e.Data) != want {
				t.Fatalf("got %s, want %s", e.Data, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("missing %s", want)
		}
	}
}
