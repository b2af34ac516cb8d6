package quota_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/quota"
)

var (
	wib  = mustZone("Asia/Jakarta")
	wita = mustZone("Asia/Makassar")
	wit  = mustZone("Asia/Jayapura")
)

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// env is one running instance with a fake clock.
type env struct {
	in  *apptest.Instance
	s   *quota.Service
	clk *clock.Fake
	ctx context.Context
}

func start(t *testing.T, now time.Time) env {
	t.Helper()
	clk := clock.NewFake(now)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	return env{in: in, s: in.App.Quota, clk: clk, ctx: context.Background()}
}

func citizen(i int, office string, day time.Time) quota.BookingRequest {
	return quota.BookingRequest{Office: office, Date: day, Service: "new", NIK: fmt.Sprintf("3171%012d", i),
		FullName: fmt.Sprintf("Warga %d", i), BirthDate: date("1990-01-01"), Sex: "M", Phone: fmt.Sprintf("+62812%07d", i)}
}

// holdPool takes every connection of the instance's pool, as if busy
// elsewhere; the test releases them.
func holdPool(t *testing.T, e env) []*pgxpool.Conn {
	t.Helper()
	var held []*pgxpool.Conn
	for range e.in.Pool.Stat().MaxConns() {
		c, err := e.in.Pool.Acquire(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	return held
}

func exec(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
