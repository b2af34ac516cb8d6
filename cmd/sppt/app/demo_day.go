package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/sppt/sppt/cmd/sppt/officeday"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/quota"
)

// The demo office day `make run` plays before it serves.
const (
	DemoDayApplicants = 30
	DemoDayRate       = 1500 // simulated seconds per real second: the day in about 25 s
)

// DemoDay gives a newcomer's backoffice applications in every stage: unless
// the first demo office has applications already, it plays one office day
// (officeday, Spread) on the last working day before today, through a
// second instance of its own, on loopback, whose clock runs from 07:40 of
// that day at DemoDayRate. It runs before the real server starts, so the
// two clocks never act on the same rows at once.
func (a *App) DemoDay(ctx context.Context, out io.Writer) error {
	office := DemoOffices[0]
	counts, err := a.Backoffice.Applications.StageCounts(ctx, office)
	if err != nil {
		return err
	}
	for _, n := range counts {
		if n > 0 {
			return nil
		}
	}
	day, loc, err := a.lastWorkingDay(ctx, office)
	if err != nil {
		return err
	}
	clk := clock.NewHeld(time.Date(day.Year(), day.Month(), day.Day(), 7, 40, 0, 0, loc))
	fmt.Fprintf(out, "Demo office day: %d applicants at %s on %s, simulated through the API (about %d s)…\n",
		DemoDayApplicants, office, day.Format("2006-01-02"), int(9*3600/DemoDayRate))
	r, err := a.playDay(ctx, clk, officeday.Config{Office: office, Applicants: DemoDayApplicants, Seed: 1, Clock: clk,
		Rate: DemoDayRate, Spread: true})
	if err != nil {
		return fmt.Errorf("demo office day: %w", err)
	}
	fmt.Fprintln(out, "  "+r.Line())
	return nil
}

// playDay serves a second instance on clk for the day's length; the day
// starts once the instance is up.
func (a *App) playDay(ctx context.Context, clk *clock.Held, cfg officeday.Config) (officeday.Result, error) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	day, err := New(ctx, a.Cfg, Options{Clock: clk, Log: quiet})
	if err != nil {
		return officeday.Result{}, err
	}
	defer day.Close(context.Background())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return officeday.Result{}, err
	}
	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- day.Serve(serveCtx, All, ln) }()
	defer func() { stop(); <-done }()
	cfg.URLs = []string{"http://" + ln.Addr().String()}
	if err := waitReady(ctx, cfg.URLs[0]); err != nil {
		return officeday.Result{}, err
	}
	clk.Run(cfg.Rate)
	return officeday.Run(ctx, cfg, day.Simulator())
}

func waitReady(ctx context.Context, base string) error {
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if r, err := http.Get(base + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return nil
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return fmt.Errorf("the demo day's instance at %s was not ready in 20 s", base)
}

// lastWorkingDay is the office's last working day before today.
func (a *App) lastWorkingDay(ctx context.Context, office string) (time.Time, *time.Location, error) {
	o, err := quota.GetOffice(ctx, a.Pool, office)
	if err != nil {
		return time.Time{}, nil, err
	}
	loc := o.Location()
	now := a.Clock.Now().In(loc)
	for back := 1; back <= 14; back++ {
		d := time.Date(now.Year(), now.Month(), now.Day()-back, 12, 0, 0, 0, loc)
		if n, err := a.Quota.WorkingDaysBetween(ctx, office, d.AddDate(0, 0, -1), d); err != nil {
			return time.Time{}, nil, err
		} else if n == 1 {
			return d, loc, nil
		}
	}
	return time.Time{}, nil, fmt.Errorf("%s had no working day in the last two weeks", office)
}
