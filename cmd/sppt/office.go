package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/quota"
)

const officeUsage = "office import --file offices.csv | office set --office JKS [--effective_from YYYY-MM-DD] [--hours \"mon-fri 08:00-16:00\"] [--online N] …"

func cmdOffice(ctx context.Context, args []string) error {
	a, err := open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	return officeCommand(ctx, a, args)
}

// officeCommand is `sppt office import|set` (README "Offices and holidays").
func officeCommand(ctx context.Context, a *app.App, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: sppt " + officeUsage)
	}
	switch args[0] {
	case "import":
		fs := flag.NewFlagSet("office import", flag.ContinueOnError)
		file := fs.String("file", "", "offices CSV file (header row naming the columns)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		f, err := os.Open(*file)
		if err != nil {
			return fmt.Errorf("--file: %w", err)
		}
		defer f.Close()
		res, err := a.Quota.ImportOffices(ctx, f, "cli")
		if err != nil {
			return refused(*file, err)
		}
		fmt.Printf("offices: %d added, %d updated from %s\n", res.Added, res.Updated, *file)
		return nil
	case "set":
		return officeSet(ctx, a, args[1:])
	}
	return errors.New("usage: sppt " + officeUsage)
}

// officeSet changes the fields given as flags, one flag per column of the
// offices file; the others stay as they are.
func officeSet(ctx context.Context, a *app.App, args []string) error {
	fs := flag.NewFlagSet("office set", flag.ContinueOnError)
	office := fs.String("office", "", "office code, e.g. JKS")
	vals := map[string]*string{}
	for _, f := range quota.Fields {
		if f != "code" {
			vals[f] = fs.String(f, "", "the offices file's "+f+" column")
		}
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *office == "" {
		return errors.New("--office is required (e.g. --office JKS)")
	}
	changes := map[string]string{}
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "office" {
			changes[f.Name] = *vals[f.Name]
		}
	})
	if len(changes) == 0 {
		return errors.New("name at least one field to change, e.g. --hours \"mon-fri 08:00-15:00\" --effective_from 2026-12-07")
	}
	sp, err := a.Quota.SetOffice(ctx, strings.ToUpper(*office), changes, "cli")
	if errors.Is(err, quota.ErrNoOffice) {
		return fmt.Errorf("--office: no office %q", *office)
	}
	if err != nil {
		return refused("", err)
	}
	rec := sp.Record()
	fmt.Printf("office %s from %s: hours %s; online %s; walk-in %s; priority %s; release %q, window %s days\n", sp.Code,
		rec["effective_from"], rec["hours"], rec["online"], rec["walkin"], rec["priority"], rec["release_cron"], rec["booking_window_days"])
	return nil
}

// refused turns refused values into one error naming each line and field.
func refused(file string, err error) error {
	var se *quota.SpecError
	if !errors.As(err, &se) {
		return err
	}
	prefix := "refused, nothing was written"
	if file != "" {
		prefix = file + ": " + prefix
	}
	return fmt.Errorf("%s:\n%s", prefix, se.Error())
}

func cmdHolidays(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		return errors.New("usage: sppt holidays import --file holidays.csv   (rows day,kind,name[,office])")
	}
	fs := flag.NewFlagSet("holidays import", flag.ContinueOnError)
	file := fs.String("file", "", "holidays CSV: day,kind(national|collective_leave|office),name[,office]")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	f, err := os.Open(*file)
	if err != nil {
		return fmt.Errorf("--file: %w", err)
	}
	defer f.Close()
	a, err := open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	n, err := a.Quota.ImportHolidays(ctx, f, "cli")
	if err != nil {
		return refused(*file, err)
	}
	fmt.Printf("holidays: %d loaded from %s\n", n, *file)
	return nil
}
