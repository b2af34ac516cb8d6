package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/quota"
)

func cmdQuota(ctx context.Context, args []string) error {
	a, err := open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	return quotaSet(ctx, a, args)
}

// quotaCommand is `sppt quota set --office JKS --date YYYY-MM-DD --online N --walkin M [--priority P]`.
func quotaSet(ctx context.Context, a *app.App, args []string) error {
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
