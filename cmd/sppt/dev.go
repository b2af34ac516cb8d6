package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/internal/db"
)

// cmdDev is `make run`: a database found or started (db.EnsureServer, as
// `make test` does), migrated, seeded with demo data, and the whole system
// served; a private cluster it started stops on exit. Sign-in codes are
// printed on DEMO lines (log driver, outside production).
func cmdDev(ctx context.Context, args []string) error {
	began := time.Now()
	if err := app.DemoAllowed(config.Config{Env: os.Getenv("SPPT_ENV")}); err != nil {
		return err
	}
	srv, err := db.EnsureServer(ctx, os.Getenv("DATABASE_URL"), ".data")
	if err != nil {
		return err
	}
	defer func() {
		if err := srv.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping the private PostgreSQL:", err)
		}
	}()
	os.Setenv("DATABASE_URL", srv.URL)
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, app.Options{Migrate: true, DemoSMS: os.Stdout})
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	if err := app.SeedReference(ctx, a.Pool); err != nil {
		return err
	}
	if err := a.SeedDemo(ctx, os.Stdout); err != nil {
		return err
	}
	if err := a.DemoDay(ctx, os.Stdout); err != nil {
		return err
	}
	printWelcome(os.Stdout, a.Cfg, srv, time.Since(began))
	return a.Serve(ctx, app.All, nil)
}

// printWelcome is what a newcomer reads after `make run`: every screen, how
// to sign in to each, and where the database is.
func printWelcome(w io.Writer, cfg config.Config, srv *db.Server, took time.Duration) {
	base := strings.TrimRight(cfg.PublicBaseURL, "/")
	var offices, tvs []string
	for _, o := range app.DemoOffices {
		offices = append(offices, strings.ToLower(o))
		tvs = append(tvs, "/tv/"+o)
	}
	roles := slices.DeleteFunc(slices.Clone(auth.Roles), func(r string) bool { return slices.Contains(auth.ScopeRoles, r) })
	line := strings.Repeat("─", 78)
	fmt.Fprintf(w, "\n%s\nSPPT is up (ready in %.1f s). Ctrl-C stops it%s.\n\n", line, took.Seconds(), stopsToo(srv))
	row := func(what, url string, notes ...string) {
		fmt.Fprintf(w, "  %-15s %s\n", what, url)
		for _, n := range notes {
			fmt.Fprintf(w, "  %-15s   %s\n", "", n)
		}
	}
	row("Citizen portal", base+"/",
		"sign in at "+base+"/login with any mobile number (e.g. 081234567890);",
		"the code is printed here on a \"DEMO sign-in SMS\" line (never in production)")
	row("Lobby TV", base+"/tv/"+app.DemoOffices[0], "also "+strings.Join(tvs[1:], ", "))
	row("Kiosk", base+"/kiosk", "paste a kiosk token: printed above when the demo kiosks were first enrolled")
	row("Backoffice", base+"/backoffice",
		"every demo officer's password: "+app.DemoPassword,
		"username <office>.<role>, offices "+strings.Join(offices, " ")+", roles:",
		"  "+strings.Join(roles, " "),
		"e.g. jks.desk (booth screen), jks.admin (devices, SMS), jks.supervisor;",
		"jakarta.regional is the regional head of DKI Jakarta, national.admin the national admin")
	row("API", base+"/api/v1/openapi.json")
	dbURL, dbLine := "$DATABASE_URL", redact(srv.URL) // a URL given to us may hold a password
	if srv.Admin != "" {                              // one found or started here holds none
		dbURL, dbLine = "'"+srv.URL+"'", srv.URL
	}
	if srv.Private {
		dbLine += " (private cluster in " + srv.Dir + ")"
	}
	row("Database", dbLine, "another device token: DATABASE_URL="+dbURL+
		" go run ./cmd/sppt device add --office JKS --kind kiosk --name 'Kiosk 2'")
	fmt.Fprintln(w, line)
}

func stopsToo(srv *db.Server) string {
	if srv.Started() {
		return " and its private PostgreSQL"
	}
	return ""
}

func redact(u string) string {
	if i := strings.Index(u, "@"); i > 0 {
		if j := strings.Index(u, "://"); j > 0 && j < i {
			return u[:j+3] + "…" + u[i:]
		}
	}
	return u
}
