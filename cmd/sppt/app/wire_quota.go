package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sppt/sppt/portal"
	"github.com/sppt/sppt/quota"
)

// wireQuota builds quota, booking and the citizen portal.
func (a *App) wireQuota(ctx context.Context) error {
	a.Quota = &quota.Service{Pool: a.Pool, Clock: a.Clock, Jobs: a.Jobs, Sched: a.Sched,
		Notifier: a.Notifier, Log: a.Log}
	if err := a.Quota.Register(ctx); err != nil {
		return err
	}
	a.Portal = &portal.Service{Pool: a.Pool, Clock: a.Clock, Directory: directory{a}, Quota: a.Quota, Tokens: a.Tokens,
		OTP: a.SMS, Applications: applicationStatus{a.Pool}, Pages: a.Pages, Log: a.Log,
		SecureCookies: strings.HasPrefix(a.Cfg.PublicBaseURL, "https://")}
	a.Portal.CheckIns, a.Portal.Fees = bookingCheckIns{a}, feeSchedule{a}
	a.routes = append(a.routes, a.Portal.Routes)
	a.pages = append(a.pages, func(a *App) { a.Portal.PageRoutes(a.fiber) })
	a.QuotaCommand = a.quotaCommand
	a.demoSeeders = append(a.demoSeeders, func(ctx context.Context, a *App, out io.Writer) error {
		n, err := a.Quota.SeedDemo(ctx, DemoOffices, 30)
		if err == nil {
			fmt.Fprintf(out, "Demo quota: %d office-days released for %v (next 30 working days)\n", n, DemoOffices)
		}
		return err
	})
	return nil
}

// directory adapts the quota package to the portal's Directory.
type directory struct{ a *App }

func (d directory) Offices(ctx context.Context) ([]portal.Office, error) {
	offices, err := quota.Offices(ctx, d.a.Pool)
	if err != nil {
		return nil, err
	}
	out := make([]portal.Office, len(offices))
	for i, o := range offices {
		out[i] = portal.Office{Code: o.Code, Name: o.Name, City: o.City, Timezone: o.Timezone, Address: o.Address, Province: o.Region}
	}
	return out, nil
}

// Today is an office's seats today (in its own zone).
func (d directory) Today(ctx context.Context, office string) (portal.TodayQuota, error) {
	o, err := quota.GetOffice(ctx, d.a.Pool, office)
	if err != nil {
		return portal.TodayQuota{}, err
	}
	st, err := d.a.Quota.Day(ctx, office, o.Day(d.a.Clock.Now()))
	if err != nil {
		return portal.TodayQuota{}, err
	}
	return portal.TodayQuota{Open: st.Open, OnlineRemaining: st.Online.Remaining, WalkinRemaining: st.Walkin.Remaining}, nil
}

// quotaCommand is `sppt quota set --office JKS --date YYYY-MM-DD --online N --walkin M [--priority P]`.
func (a *App) quotaCommand(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "set" {
		return errors.New("usage: sppt quota set --office JKS --date YYYY-MM-DD --online N --walkin M [--priority P]")
	}
	fs := flag.NewFlagSet("quota set", flag.ContinueOnError)
	office := fs.String("office", "", "office code, e.g. JKS")
	date := fs.String("date", "", "calendar day YYYY-MM-DD in the office's time zone")
	online := fs.Int("online", -1, "online seats")
	walkin := fs.Int("walkin", -1, "walk-in seats")
	priority := fs.Int("priority", -1, "walk-in seats kept for the priority group (default: the office's rule)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	day, err := time.Parse("2006-01-02", *date)
	switch {
	case *office == "":
		return errors.New("--office is required (e.g. --office JKS)")
	case err != nil:
		return fmt.Errorf("--date: want YYYY-MM-DD, got %q", *date)
	case *online < 0:
		return errors.New("--online is required and must be 0 or more")
	case *walkin < 0:
		return errors.New("--walkin is required and must be 0 or more")
	}
	var prio *int
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "priority" {
			prio = priority
		}
	})
	if prio != nil && (*prio < 0 || *prio > *walkin) {
		return fmt.Errorf("--priority must be between 0 and --walkin (%d)", *walkin)
	}
	st, err := a.Quota.SetDay(ctx, *office, day, *online, *walkin, prio, "cli")
	var dn *quota.DateNotOpenError
	switch {
	case errors.Is(err, quota.ErrNoOffice):
		return fmt.Errorf("--office: no office %q", *office)
	case errors.As(err, &dn):
		return fmt.Errorf("--date: %s is %s", *date, dn.Reason)
	case errors.Is(err, quota.ErrCapacityBelowBooked):
		return errors.New("--online/--walkin: fewer seats than already booked that day")
	case err != nil:
		return err
	}
	fmt.Printf("quota %s %s: online %d (booked %d, remaining %d), walk-in %d (priority %d), open=%v\n",
		st.Office, *date, st.Online.Capacity, st.Online.Used, st.Online.Remaining, st.Walkin.Capacity, st.Priority.Capacity, st.Open)
	return nil
}
