package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/devices"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/quota"
)

// SeedReference writes offices, holidays and fees; running it again changes nothing.
func SeedReference(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := quota.SeedReference(ctx, tx); err != nil {
			return err
		}
		return billing.SeedFees(ctx, tx)
	})
}

// DemoOffices get demo officers, devices and quota: JKS and one office in
// each other time zone.
var DemoOffices = []string{"JKS", "DPS", "JYP"}

// DemoPassword is every demo officer's password (demo data only).
const DemoPassword = "layanan-paspor-demo"

// demoSeeders are added by domain wiring (e.g. quota for the next 30 working days).
// DemoAllowed refuses demo data in production: its officers share one
// published password (DemoPassword) and its devices are enrolled for anyone
// who read the seed's output.
func DemoAllowed(cfg config.Config) error {
	if cfg.Env == "production" {
		return errors.New("demo data (seed --demo, dev) is refused when SPPT_ENV=production: its officers share a published password")
	}
	return nil
}

type demoSeeder func(ctx context.Context, a *App, out io.Writer) error

// SeedDemo adds demo officers for every role, a kiosk and a display per demo
// office, and whatever the domains add; it prints logins and device tokens.
func (a *App) SeedDemo(ctx context.Context, out io.Writer) error {
	if err := DemoAllowed(a.Cfg); err != nil {
		return err
	}
	now := a.Clock.Now()
	fmt.Fprintf(out, "Demo officers (password %q):\n", DemoPassword)
	for _, office := range DemoOffices {
		for _, role := range auth.Roles {
			if slices.Contains(auth.ScopeRoles, role) {
				continue // no office: one of each below
			}
			if err := a.demoOfficer(ctx, out, officer.NewOfficer{Username: strings.ToLower(office) + "." + role, Office: office, Roles: []string{role}}, now); err != nil {
				return err
			}
		}
	}
	if err := a.demoOfficer(ctx, out, officer.NewOfficer{Username: "jakarta.regional", Region: "DKI Jakarta", Roles: []string{"regional_head"}}, now); err != nil {
		return err
	}
	if err := a.demoOfficer(ctx, out, officer.NewOfficer{Username: "national.admin", Roles: []string{"national_admin"}}, now); err != nil {
		return err
	}
	fmt.Fprintln(out, "Demo devices:")
	for _, office := range DemoOffices {
		for _, d := range []struct{ kind, name string }{{"kiosk", "Kiosk 1"}, {"display", "TV Lobi"}} {
			_, tok, err := a.Devices.Add(ctx, office, d.kind, d.name, "system:seed", now)
			switch {
			case errors.Is(err, devices.ErrNameTaken):
				fmt.Fprintf(out, "  %s %-8s %-8s already enrolled (its token was shown then; `sppt device add` enrols another)\n", office, d.kind, d.name)
			case err != nil:
				return err
			default:
				fmt.Fprintf(out, "  %s %-8s %-8s token %s\n", office, d.kind, d.name, tok)
			}
		}
	}
	for _, seed := range a.demoSeeders {
		if err := seed(ctx, a, out); err != nil {
			return err
		}
	}
	return nil
}

func (a *App) demoOfficer(ctx context.Context, out io.Writer, n officer.NewOfficer, now time.Time) error {
	n.Password = DemoPassword
	_, err := officer.AddOfficer(ctx, a.Pool, n, "system:seed", now)
	if err != nil && !errors.Is(err, officer.ErrUsernameTaken) {
		return fmt.Errorf("demo officer %s: %w", n.Username, err)
	}
	scope := n.Office
	switch {
	case n.Region != "":
		scope = "region " + n.Region
	case scope == "":
		scope = "every office"
	}
	fmt.Fprintf(out, "  %-22s %-14s %s\n", n.Username, n.Roles[0], scope)
	return nil
}
