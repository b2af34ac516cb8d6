package app

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/sppt/sppt/internal/audit"
)

// wireAudit loads the audit chain's anchor and schedules its two jobs: the
// checkpoints every ten minutes and the nightly check of every chain, each
// fired on one instance. Without a key in production the chain is still
// checked, unanchored, and the start-up log says so.
func (a *App) wireAudit(context.Context) error {
	dir := a.Cfg.AuditAnchorDir
	if dir == "" && a.Cfg.Env != "production" {
		// One folder per database, so a fresh development database never
		// meets another one's checkpoints.
		dir = filepath.Join(audit.DevAnchorDir, databaseName(a.Cfg.DatabaseURL))
	}
	anchor, source, err := audit.LoadAnchor(a.Cfg.AuditKey, a.Cfg.AuditKeyFile, dir, a.Cfg.Env == "production")
	if err != nil {
		a.Log.Warn("audit chain not anchored: rewrites with recomputed hashes cannot be found", "err", err)
	} else {
		a.Audit = anchor
		a.Log.Info("audit anchor", "key", source, "dir", anchor.Dir)
	}
	if err := a.Sched.Add("audit-anchor", audit.AnchorSpec, time.UTC, a.auditAnchor); err != nil {
		return err
	}
	return a.Sched.Add("audit-check", audit.CheckSpec, time.UTC, a.AuditCheck)
}

func (a *App) auditAnchor(ctx context.Context, _ time.Time) error {
	if a.Audit == nil {
		return nil
	}
	_, breaks, err := a.Audit.Checkpoint(ctx, a.Pool, a.Clock.Now())
	for _, b := range breaks {
		a.Log.Error("audit chain not signed: broken", "office", b.Office, "seq", b.Seq, "reason", b.Reason)
	}
	return err
}

// AuditCheck is the nightly check: every chain verified, the result stored
// for the office heads' dashboard, the verified heads signed.
func (a *App) AuditCheck(ctx context.Context, _ time.Time) error {
	_, err := audit.Nightly(ctx, a.Pool, a.Audit, a.Clock.Now(), a.Log)
	return err
}

func databaseName(dbURL string) string {
	u, err := url.Parse(dbURL)
	name := ""
	if err == nil {
		name = strings.Trim(u.Path, "/")
	}
	if name == "" || strings.ContainsAny(name, `/\.`) {
		name = "default"
	}
	return name
}
