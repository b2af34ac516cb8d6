package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/sppt/sppt/backoffice/printing"
)

// cmdBlanks is `sppt blanks receive|report` (CONTRACT.md, Commands).
func cmdBlanks(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New(`expected "receive" or "report"`)
	}
	switch args[0] {
	case "receive":
		return cmdBlanksReceive(ctx, args[1:])
	case "report":
		return cmdBlanksReport(ctx, args[1:])
	}
	return errors.New(`expected "receive" or "report"`)
}

func cmdBlanksReceive(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("blanks receive", flag.ContinueOnError)
	office := fs.String("office", "", "office code, e.g. JKS")
	typ := fs.String("type", "", strings.Join(printing.BookTypes, "|"))
	first := fs.String("first", "", "first serial: one capital letter and 7 digits, e.g. A0000001")
	count := fs.Int("count", 0, "how many serials, counted up from --first")
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	code := strings.ToUpper(*office)
	b, err := a.Ledger.Receive(ctx, code, *typ, strings.ToUpper(*first), *count, "cli", a.Clock.Now())
	var be *printing.BatchError
	if errors.As(err, &be) {
		return fmt.Errorf("--%s: %s; nothing was recorded", be.Field, be.Problem)
	}
	if err != nil {
		return err
	}
	fmt.Printf("blanks received: office=%s type=%s first=%s last=%s count=%d batch=%d\n",
		b.Office, b.BookType, b.First, b.Last, b.Count, b.ID)
	return nil
}

func cmdBlanksReport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("blanks report", flag.ContinueOnError)
	office := fs.String("office", "", "office code, e.g. JKS")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *office == "" {
		return errors.New("--office is required")
	}
	a, err := open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	code := strings.ToUpper(*office)
	total, by, err := a.Ledger.Report(ctx, code)
	if err != nil {
		return err
	}
	for _, t := range printing.BookTypes {
		c := by[t]
		fmt.Printf("type=%s received=%d", t, c.Received)
		for _, s := range printing.BlankStates {
			fmt.Printf(" %s=%d", s, c.Of(s))
		}
		fmt.Printf(" unaccounted=%d\n", c.Unaccounted)
	}
	fmt.Println(printing.ReportLine(code, total))
	if total.Unaccounted != 0 {
		return fmt.Errorf("%d serial(s) unaccounted for: compare blank_history with blanks for this office", total.Unaccounted)
	}
	return nil
}
