package app_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/cmd/sppt/officeday"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
)

// A small office day through the HTTP API of two instances, 600 times real
// speed: every applicant is booked or walks in, many are issued their
// passport, nobody queues more than three times, every blank is accounted
// for, the audit chain holds, and every answer was one the simulation
// expected.
func TestSimulatedOfficeDay(t *testing.T) {
	t.Parallel()
	const rate = 600
	wib, _ := time.LoadLocation("Asia/Jakarta")
	clk := clock.NewHeld(time.Date(2026, 3, 4, 7, 40, 0, 0, wib)) // runs once the instances are up
	db := apptest.DB(t)
	conf := func(c *config.Config) { c.BankCallbackSecret = "simulation-bank-secret-0123" }
	one := apptest.Start(t, db, apptest.Options{Clock: clk, Configure: conf})
	two := apptest.Start(t, db, apptest.Options{Clock: clk, Configure: conf})
	ctx := context.Background()
	if err := one.App.SeedDemo(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	var progress strings.Builder
	clk.Run(rate)
	staff := officeday.Staff{Desks: 3, Stations: 2, Adjudicators: 1, Printers: 2, Counters: 2}
	r, err := officeday.Run(ctx, officeday.Config{URLs: []string{one.URL, two.URL}, Office: "JKS", Applicants: 30, Seed: 7,
		Clock: clk, Rate: rate, Staff: staff, Progress: &progress}, one.App.Simulator())
	if err != nil {
		t.Fatal(err)
	}
	t.Log(progress.String())
	t.Log(r.Line())
	if r.Errors > 0 {
		t.Fatalf("%d unexpected answers, first: %q", r.Errors, r.FirstErrors)
	}
	// How many are issued depends on how fast this machine answers at 600×;
	// that every step works, nobody queues a fourth time and every blank is
	// accounted for does not.
	if r.Issued < 10 || r.QueuePoints != 3 || r.BlanksUnaccounted != 0 || !r.AuditOK {
		t.Fatalf("the day: %s", r.Line())
	}
	for _, want := range []string{"applicants=30 ", "queue_points=3 ", "blanks_unaccounted=0 ", "audit_chain=ok "} {
		if !strings.Contains(r.Line(), want) {
			t.Fatalf("line %q lacks %q", r.Line(), want)
		}
	}
}
