package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/proof/prooftest"
)

// The national release: the 120 offices of demo/offices120.csv open a day
// at one instant (an admin's opening, as `sppt quota set` does: first come,
// first served, no draw window, so the seat counter is what is raced) with
// nine seats for every ten citizens, and the citizens arrive at a fixed
// offered rate, alternately at two HTTP-only instances on one database.
// One request in a hundred is a citizen sending the same booking again (a
// double tap). Expected answers: 201; 409 quota_exhausted (sold out) and
// 409 active_booking_exists (the double tap); 503 database_busy with
// Retry-After, after which the phone waits and sends again (up to 8 sends;
// the latency is to the final answer). Anything else, an overbooked office, a
// 201 whose booking is not in the database, a booking given twice or a
// refused citizen while seats remained does not hold.
func TestNationalRelease(t *testing.T) {
	citizens := prooftest.Size(600, 20000)
	rates := prooftest.Size([]int{200}, []int{1000, 2000, 4000})
	ctx := context.Background()
	// The fake clock stands still: the release and every booking happen at
	// Monday 09:00 WIB, so "one instant" is exact.
	clk := clock.NewFake(apptest.Monday)
	httpOnly := app.Roles{HTTP: true} // booking front ends; SMS workers would race the bookings for the cores
	db := apptest.DB(t)
	opt := apptest.Options{Clock: clk, Roles: &httpOnly}
	t0 := time.Now()
	ins := []*apptest.Instance{apptest.Start(t, db, opt), apptest.Start(t, db, opt)}
	offices := importNetwork(t, ins[0])
	t.Logf("two instances and 120 offices in %v", time.Since(t0).Round(time.Millisecond))
	if len(offices) != 120 {
		t.Fatalf("%d offices imported, want 120", len(offices))
	}
	conns := 512 // the fast subset's few hundred citizens
	if prooftest.Full() {
		conns = fitFileLimit(t, 4*phoneConns, 1024) / 4 // both ends of every connection are in this process
	}
	clients := []*http.Client{newClient(conns), newClient(conns)}
	// Registered after the instances, so it runs before they stop: an idle
	// keep-alive connection would hold their graceful shutdown to its end.
	t.Cleanup(func() {
		for _, c := range clients {
			c.CloseIdleConnections()
		}
	})
	t0 = time.Now()
	warmUp(t, ins, clients, offices)
	t.Logf("warm-up in %v", time.Since(t0).Round(time.Millisecond))
	for k, rate := range rates {
		day := apptest.Day("2026-04-02").AddDate(0, 0, k) // the next day to release, then the ones after
		run := newRun(t, ins, clients, offices, day, citizens, k)
		t0 = time.Now()
		release(t, ins[0], offices, day, run.seatsPer)
		t.Logf("release of %d offices in %v", len(offices), time.Since(t0).Round(time.Millisecond))
		t0 = time.Now()
		run.drive(rate)
		t.Logf("%d requests driven at %d/s in %v", len(run.reqs), rate, time.Since(t0).Round(time.Millisecond))
		run.report(ctx, rate)
	}
}

// importNetwork loads the 120-office network file and returns the codes.
func importNetwork(t *testing.T, in *apptest.Instance) []string {
	t.Helper()
	f, err := os.Open("../../demo/offices120.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := in.App.Quota.ImportOffices(context.Background(), f, "proof"); err != nil {
		t.Fatal(err)
	}
	rows, err := in.Pool.Query(context.Background(), `SELECT code FROM offices ORDER BY code`)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// release opens day at every office with seats online seats, all at the
// clock's one instant (eight at a time: one office's opening is a
// transaction of its own).
func release(t *testing.T, in *apptest.Instance, offices []string, day time.Time, seats int) {
	t.Helper()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	errs := make([]error, len(offices))
	for i, o := range offices {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			_, errs[i] = in.App.Quota.SetDay(context.Background(), o, day, seats, 0, nil, "proof")
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("release: %v", err)
	}
}

// newClient is one population of phones: up to 4,096 connections to an
// instance, as a crowd of phones has one each. A smaller pool queues the
// crowd here, where the server can neither see nor refuse it: with 512 the
// 2,000/s run's median wait was 7.0 s and its 503s none. A request beyond
// the pool waits for a connection, and that wait counts in its latency
// (measured from its scheduled send).
func newClient(conns int) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxConnsPerHost: conns, MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}}
}

const phoneConns = 4096

// nik is a structurally valid NIK for applicant i (Jakarta Selatan, a man),
// with its birth date: unique for i < 9000 × 3000.
func nik(i int) (string, string) {
	birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/9000)
	return fmt.Sprintf("317401%s%04d", birth.Format("020106"), i%9000+1), birth.Format("2006-01-02")
}

func phone(i int) string { return fmt.Sprintf("+62813%07d", i) }

// bookingBody is citizen i's booking of office on day.
func bookingBody(i int, office string, day time.Time) []byte {
	n, birth := nik(i)
	b, _ := json.Marshal(map[string]string{"office": office, "date": day.Format(time.DateOnly), "service": "new",
		"nik": n, "full_name": "Pemohon Uji", "birth_date": birth, "sex": "M"})
	return b
}
