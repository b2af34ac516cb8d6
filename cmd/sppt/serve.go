package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/internal/config"
)

// open reads the configuration and builds the app.
func open(ctx context.Context, migrate bool) (*app.App, error) {
	cfg, err := config.FromEnv()
	if err != nil {
		return nil, err
	}
	return app.New(ctx, cfg, app.Options{Migrate: migrate})
}

func cmdServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	migrate := fs.Bool("migrate", false, "apply migrations before serving")
	roles := fs.String("roles", "http,workers,scheduler", "what this instance runs (scale-out: run each role alone)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r, err := parseRoles(*roles)
	if err != nil {
		return err
	}
	a, err := open(ctx, *migrate)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	return a.Serve(ctx, r, nil)
}

func parseRoles(s string) (app.Roles, error) {
	var r app.Roles
	for _, p := range strings.Split(s, ",") {
		switch strings.TrimSpace(p) {
		case "http":
			r.HTTP = true
		case "workers":
			r.Workers = true
		case "scheduler":
			r.Scheduler = true
		default:
			return r, fmt.Errorf("--roles: unknown role %q (http, workers, scheduler)", p)
		}
	}
	return r, nil
}

func cmdMigrate(ctx context.Context, args []string) error {
	a, err := open(ctx, true)
	if err != nil {
		return err
	}
	a.Close(ctx)
	fmt.Println("migrations applied")
	return nil
}

func cmdSeed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "add demo officers, devices and quota")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *demo { // before anything is written, reference data included
		if err := app.DemoAllowed(config.Config{Env: os.Getenv("SPPT_ENV")}); err != nil {
			return err
		}
	}
	a, err := open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	if err := app.SeedReference(ctx, a.Pool); err != nil {
		return err
	}
	fmt.Println("reference data: offices, holidays, fees")
	if *demo {
		return a.SeedDemo(ctx, os.Stdout)
	}
	return nil
}
