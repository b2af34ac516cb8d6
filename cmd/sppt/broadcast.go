package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/sms"
)

func cmdBroadcast(ctx context.Context, args []string) error {
	a, err := open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	return broadcastQuota(ctx, a, args)
}

// broadcastCommand is `sppt broadcast quota [--office JKS]`: today's quota
// broadcast now, as the scheduler would send it (a second run the same day
// reaches only new subscribers).
func broadcastQuota(ctx context.Context, a *app.App, args []string) error {
	if len(args) == 0 || args[0] != "quota" {
		return errors.New("usage: sppt broadcast quota [--office JKS]")
	}
	fs := flag.NewFlagSet("broadcast quota", flag.ContinueOnError)
	office := fs.String("office", "", "office code (default: every office)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	codes := []string{strings.ToUpper(*office)}
	if *office == "" {
		offices, err := a.SMS.Offices.Offices(ctx)
		if err != nil {
			return err
		}
		codes = codes[:0]
		for _, o := range offices {
			codes = append(codes, o.Code)
		}
	}
	for _, code := range codes {
		res, err := a.SMS.BroadcastQuota(ctx, code)
		if errors.Is(err, sms.ErrUnknownOffice) {
			return fmt.Errorf("--office: no office %q", code)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", code, err)
		}
		if res.Skipped != "" {
			fmt.Printf("%s %s: nothing sent (%s)\n", res.Office, res.Day.Format(time.DateOnly), res.Skipped)
			continue
		}
		fmt.Printf("%s %s: %d messages queued (broadcast %d)\n", res.Office, res.Day.Format(time.DateOnly), res.Queued, res.ID)
	}
	return nil
}
