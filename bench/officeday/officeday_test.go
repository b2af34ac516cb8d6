// Package officeday measures a whole office day (issue 12, item 8): 1,000
// applicants from booking to pickup through the HTTP API of two instances
// on one database, with the staff officeday.StaffFor sizes (several booths,
// stations and printers per step), on a clock running 120 times real speed
// (07:40 to 16:45 in about 4.5 minutes). It prints the contract's officeday
// line, then the wait forecast against a same-run baseline: the call time a
// plain queue system prints, people ahead × a fixed time per head over the
// group's booths (8 min at the desk, 3 at pickup — the queue's defaults
// before it has measured anything); ratio = naive p90 / SPPT p90 (above 1:
// SPPT's estimate is that many times closer).
//
// The test fails on an unexpected answer, an applicant who passed more than
// three queue points, an unaccounted blank or a broken audit chain; the
// forecast's target (p90 ≤ 10 min) is reported, not enforced.
package officeday

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/cmd/sppt/officeday"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
)

const (
	applicants = 1000
	rate       = 120
)

func TestBenchOfficeday(t *testing.T) {
	if os.Getenv("SPPT_BENCH") != "1" {
		t.Skip("set SPPT_BENCH=1 to run the benchmark")
	}
	wib, _ := time.LoadLocation("Asia/Jakarta")
	clk := clock.NewHeld(time.Date(2026, 3, 4, 7, 40, 0, 0, wib)) // the day starts once the instances are up
	db := apptest.DB(t)
	conf := func(c *config.Config) { c.BankCallbackSecret = "officeday-bench-bank-secret" }
	one := apptest.Start(t, db, apptest.Options{Clock: clk, Configure: conf})
	two := apptest.Start(t, db, apptest.Options{Clock: clk, Configure: conf})
	ctx := context.Background()
	if err := one.App.SeedDemo(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	clk.Run(rate)
	r, err := officeday.Run(ctx, officeday.Config{URLs: []string{one.URL, two.URL}, Office: "JKS", Applicants: applicants,
		Seed: 12, Clock: clk, Rate: rate, Progress: progress{t}}, one.App.Simulator())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(r.Line())
	ratio := 0.0
	if r.WaitErrP90 > 0 {
		ratio = r.NaiveErrP90 / r.WaitErrP90
	}
	fmt.Printf("officeday: calls_compared=%d wait_err_p90_min=%.1f naive_baseline_p90_min=%.1f ratio=%.2f taken_in=%d ready=%d retried_503=%d unexpected=%d staff=%+v\n",
		r.Waits, r.WaitErrP90, r.NaiveErrP90, ratio, r.TakenIn, r.Ready, r.Retried, r.Errors, officeday.StaffFor(applicants))
	if r.Errors > 0 {
		t.Errorf("%d unexpected answers, first: %q", r.Errors, r.FirstErrors)
	}
	if r.QueuePoints > 3 || r.BlanksUnaccounted != 0 || !r.AuditOK {
		t.Errorf("the day broke a promise: %s", r.Line())
	}
	_ = app.DemoPassword // the simulation signs in as the demo officers SeedDemo makes
}

type progress struct{ t *testing.T }

func (p progress) Write(b []byte) (int, error) { p.t.Log(string(b)); return len(b), nil }
