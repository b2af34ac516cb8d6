package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/sppt/sppt/cmd/sppt/officeday"
	"github.com/sppt/sppt/internal/clock"
)

// cmdSimulate is `sppt simulate officeday` (CONTRACT.md, Pipeline): an
// office day against running instances, on the deployment's timeline (so a
// server started with SPPT_NOW and SPPT_CLOCK_RATE=120 runs the day in
// about five minutes). The last line is the contract's officeday line.
func cmdSimulate(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "officeday" {
		return errors.New(`expected "officeday"`)
	}
	fs := flag.NewFlagSet("simulate officeday", flag.ContinueOnError)
	url := fs.String("url", "", "the running server's base URL (several, comma-separated, spread the load)")
	office := fs.String("office", "", "office code, e.g. JKS")
	n := fs.Int("applicants", 0, "how many applicants (1–5000)")
	seed := fs.Uint64("seed", 1, "the day's people and service times; the same seed on the same day makes the same people")
	spread := fs.Bool("spread", false, "leave applicants in every stage (a demo backoffice) instead of taking all to pickup")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch {
	case *url == "":
		return errors.New("--url is required, e.g. --url http://localhost:8080")
	case *office == "":
		return errors.New("--office is required, e.g. --office JKS")
	case *n < 1 || *n > 5000:
		return fmt.Errorf("--applicants: want 1 to 5000, got %d", *n)
	}
	a, err := open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	var urls []string
	for _, u := range strings.Split(*url, ",") {
		urls = append(urls, strings.TrimRight(strings.TrimSpace(u), "/"))
	}
	r, err := officeday.Run(ctx, officeday.Config{URLs: urls, Office: *office, Applicants: *n, Seed: *seed,
		Clock: a.Clock, Rate: clock.RateOf(a.Clock), Spread: *spread, Progress: os.Stderr}, a.Simulator())
	if err != nil {
		return err
	}
	for _, e := range r.FirstErrors {
		fmt.Fprintln(os.Stderr, "unexpected answer:", e)
	}
	fmt.Println(r.Line())
	if r.Errors > 0 {
		return fmt.Errorf("%d unexpected answers", r.Errors)
	}
	return nil
}
