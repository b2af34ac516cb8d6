// Package app wires every SPPT package into one process: configuration,
// database, clock, jobs, schedules, the event hub and the HTTP server.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice"
	"github.com/sppt/sppt/backoffice/adjudication"
	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/backoffice/exception"
	"github.com/sppt/sppt/backoffice/feedback"
	"github.com/sppt/sppt/backoffice/intake"
	"github.com/sppt/sppt/backoffice/pickup"
	"github.com/sppt/sppt/backoffice/printing"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/backoffice/report"
	"github.com/sppt/sppt/backoffice/sla"
	"github.com/sppt/sppt/backoffice/validation"
	"github.com/sppt/sppt/backoffice/watchlist"
	"github.com/sppt/sppt/devices"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/internal/events"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/i18n"
	"github.com/sppt/sppt/internal/jobs"
	"github.com/sppt/sppt/internal/sealed"
	"github.com/sppt/sppt/internal/throttle"
	"github.com/sppt/sppt/migrations"
	"github.com/sppt/sppt/portal"
	"github.com/sppt/sppt/quota"
	"github.com/sppt/sppt/sms"
)

// App is one SPPT process's parts.
type App struct {
	Cfg     config.Config
	Clock   clock.Clock
	Log     *slog.Logger
	Pool    *pgxpool.Pool
	Catalog *i18n.Catalog
	Pages   *frontend.Renderer
	Tokens  *auth.Tokens
	// Revoked is this instance's cache of revoked tokens (Tokens consults it).
	Revoked *auth.Revocations
	Jobs    *jobs.Runner
	Sched   *jobs.Scheduler
	Hub     *events.Hub
	Doc     *httpx.Doc
	Metrics *httpx.Metrics

	Outbox       *sms.Outbox
	SMS          *sms.Service // inbound keywords, subscriptions, broadcasts, notices
	Devices      *devices.Registry
	Portal       *portal.Service
	Quota        *quota.Service
	Backoffice   *backoffice.House     // officers, the queue, applications
	Queue        *queue.Service        // on-site queue: tickets, booths, calls (Backoffice.Queue)
	DeviceHTTP   *devices.Service      // kiosk, display feed, TV page, device admin
	Billing      *billing.Service      // bills, bank callback, cashier, expiry
	Adjudication *adjudication.Service // decisions and the office's auto-approval
	Intake       *intake.Service       // the OSS desk
	Feedback     *feedback.Service     // applicants' feedback at the desk and pickup
	Exception    *exception.Service    // holds: BAP, recommendation, decision
	Watchlist    *watchlist.List       // the cekal list (its page: WatchlistPages)
	SLA          *sla.Service          // the 3-working-day promise: hooks, sweep, dashboard
	Reports      *report.Service       // the daily recap and the audit viewer
	Audit        *audit.Anchor         // the audit chain's signed checkpoints; nil without AUDIT_KEY in production
	Validation   *validation.Service   // the office head's pengesahan, the "ready" SMS
	Pickup       *pickup.Service       // face-checked handover at the E counters
	// PriorPassports tells pickup what passport an application replaces;
	// intake's record belongs here once wired (wire_handover.go).
	PriorPassports pickup.Priors
	Printing       *printing.Service // print jobs, passport register API, blanks page
	Ledger         *printing.Ledger  // blank booklets (sppt blanks, the portal's stock outlook)

	fiber   *fiber.App
	health  *pgxpool.Pool // /readyz's own connections (db.Health)
	demoSMS io.Writer     // Options.DemoSMS, outside production only

	// stoppers run at shutdown, last added first.
	stoppers []func(context.Context) error
	// routes are added by each domain's wiring and mounted by HTTP().
	routes []func(api httpx.API)
	pages  []func(a *App)
	// demoSeeders add each domain's demo data to SeedDemo.
	demoSeeders []demoSeeder
	// loops are background loops that worker instances run until shutdown
	// (none today: River rescues a dead process's jobs itself).
	loops []func(ctx context.Context)
}

// Options adjust New for tests and tools.
type Options struct {
	Clock   clock.Clock  // overrides SPPT_NOW
	Log     *slog.Logger // default: JSON to stderr
	Migrate bool
	// DemoSMS (`sppt dev`) receives the log driver's sign-in codes; ignored
	// when SPPT_ENV=production.
	DemoSMS io.Writer
}

// New connects to the database and builds every service; nothing runs yet.
func New(ctx context.Context, cfg config.Config, opt Options) (*App, error) {
	a := &App{Cfg: cfg, Log: opt.Log, Clock: opt.Clock}
	if cfg.Env != "production" {
		a.demoSMS = opt.DemoSMS
	}
	if a.Log == nil {
		a.Log = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	if cfg.DatabaseURL == "" {
		return nil, fmt.Errorf("DATABASE_URL is not set")
	}
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	a.Pool = pool
	a.stoppers = append(a.stoppers, func(context.Context) error { pool.Close(); return nil })
	if a.health, err = db.Health(pool); err != nil {
		return nil, err
	}
	a.stoppers = append(a.stoppers, func(context.Context) error { a.health.Close(); return nil })
	if opt.Migrate {
		if err := db.Migrate(ctx, pool, migrations.FS); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
	}
	if a.Clock == nil {
		if a.Clock, err = clock.Join(ctx, pool, cfg.Now, cfg.ClockRate, cfg.Env); err != nil {
			return nil, err
		}
	}
	if err := a.wirePlatform(ctx); err != nil {
		return nil, err
	}
	// The domains reach each other through adapters that hold a and look the
	// other service up when called, so the order here does not matter.
	for _, wire := range []func(context.Context) error{a.wireSMS, a.wireQuota, a.wireBackoffice, a.wirePipeline,
		a.wireHandover, a.wireReports, a.wireAudit} {
		if err := wire(ctx); err != nil {
			return nil, err
		}
	}
	// An insert-only River client lets commands enqueue jobs; Serve replaces it with a working one.
	if err := a.Jobs.Start(ctx, a.Pool, a.Log, false); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *App) wirePlatform(ctx context.Context) error {
	var box *sealed.Box // seals the generated signing key kept in the database
	if a.Cfg.JWTSecret == "" {
		var err error
		if box, _, err = sealed.Load(a.Cfg.DataKey, a.Cfg.DataKeyFile, a.Cfg.Env == "production"); err != nil {
			return err
		}
	}
	key, err := auth.LoadKey(ctx, a.Pool, a.Cfg.JWTSecret, box)
	if err != nil {
		return err
	}
	a.Tokens = auth.NewTokens(key, a.Clock)
	a.Revoked = &auth.Revocations{Pool: a.Pool, Log: a.Log, Refresh: a.Cfg.RevocationRefresh, Now: a.Clock.Now}
	if err := a.Revoked.Load(ctx); err != nil {
		return fmt.Errorf("token revocations: %w", err)
	}
	a.Tokens.UseRevocations(a.Revoked)
	if a.Catalog, err = i18n.Load(frontend.FS); err != nil {
		return err
	}
	if a.Pages, err = frontend.NewRenderer(a.Catalog); err != nil {
		return err
	}
	a.Jobs = jobs.NewRunner()
	a.Sched = jobs.NewScheduler(a.Pool, a.Clock, a.Log)
	if err := a.Sched.Add("throttle-prune", throttle.PruneSpec, time.UTC, func(ctx context.Context, now time.Time) error {
		_, err := throttle.Prune(ctx, a.Pool, now)
		return err
	}); err != nil {
		return err
	}
	a.Hub = events.NewHub(a.Pool, a.Log)
	a.Doc = httpx.NewDoc("SPPT API")
	a.Metrics = httpx.NewMetrics()
	a.Devices = &devices.Registry{Pool: a.Pool, Tokens: a.Tokens, Clock: a.Clock}
	return nil
}

// Close releases everything New acquired.
func (a *App) Close(ctx context.Context) {
	for i := len(a.stoppers) - 1; i >= 0; i-- {
		if err := a.stoppers[i](ctx); err != nil {
			a.Log.Warn("shutdown step failed", "err", err)
		}
	}
	a.stoppers = nil
}
