// Package db connects to PostgreSQL and applies SPPT's migrations.
package db

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// Open connects a pool and waits until the database answers.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if cfg.MaxConns < 16 {
		cfg.MaxConns = 16
	}
	for k, v := range Timeouts {
		if _, set := cfg.ConnConfig.RuntimeParams[k]; !set {
			cfg.ConnConfig.RuntimeParams[k] = v
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	for {
		if err = pool.Ping(ctx); err == nil {
			return pool, nil
		}
		select {
		case <-ctx.Done():
			pool.Close()
			return nil, fmt.Errorf("database did not answer: %w", err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Timeouts bound every session unless DATABASE_URL sets its own (e.g.
// `?statement_timeout=0`): a held row lock makes others fail after 5 s
// instead of queueing until the pool is exhausted (the probe saw a quota
// request wait 11.7 s behind one held lock); a runaway statement ends after
// two minutes; a transaction left open by a stuck client is ended after
// one. Migrations lift them for their own session.
var Timeouts = map[string]string{
	"lock_timeout":                        "5s",
	"statement_timeout":                   "120s",
	"idle_in_transaction_session_timeout": "60s",
}

// migrationLock is the advisory lock key that serialises migrations across
// instances starting at the same moment.
const migrationLock = 0x5399_7001

// Migrate applies River's migrations and then SPPT's goose migrations from
// fsys, holding one session advisory lock so two instances never race.
func Migrate(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS) error {
	// A migration may rewrite a large table: its own small pool without
	// the sessions' timeouts.
	cfg := pool.Config()
	for k := range Timeouts {
		cfg.ConnConfig.RuntimeParams[k] = "0"
	}
	cfg.MaxConns, cfg.MinConns = 4, 0
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock) //nolint:errcheck

	if err := migrateRiver(ctx, pool); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	sqldb := stdlib.OpenDBFromPool(pool)
	defer sqldb.Close()
	return migrateGoose(ctx, sqldb, fsys)
}

func migrateRiver(ctx context.Context, pool *pgxpool.Pool) error {
	m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

func migrateGoose(ctx context.Context, sqldb *sql.DB, fsys fs.FS) error {
	// Migrations are numbered in ranges per domain (see migrations/embed.go),
	// so a later migration of one domain may sort before one already applied.
	p, err := goose.NewProvider(goose.DialectPostgres, sqldb, fsys, goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("goose: %w", err)
	}
	_, err = p.Up(ctx)
	return err
}

// InTx runs fn in a transaction, committing when it returns nil.
func InTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, pool, fn)
}

// IsUnique reports whether err is a unique violation, optionally of one constraint.
func IsUnique(err error, constraint string) bool {
	return pgCode(err, "23505", constraint)
}

// IsCheck reports whether err is a check violation, optionally of one constraint.
func IsCheck(err error, constraint string) bool {
	return pgCode(err, "23514", constraint)
}

// Health is a pool of at most two connections for readiness checks only,
// so that a saturated main pool is not mistaken for a database that is
// down. It connects lazily.
func Health(pool *pgxpool.Pool) (*pgxpool.Pool, error) {
	cfg := pool.Config()
	cfg.MaxConns, cfg.MinConns = 2, 0
	return pgxpool.NewWithConfig(context.Background(), cfg)
}

// Readiness is what /readyz reports.
type Readiness string

const (
	IsReady   Readiness = "ok"
	Down      Readiness = "unavailable" // the database does not answer
	Saturated Readiness = "saturated"   // it answers, but no connection of the pool is free
)

// Ready pings the database over health and, when every connection of pool
// is in use, tries for one for a moment.
func Ready(ctx context.Context, pool, health *pgxpool.Pool) Readiness {
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := health.Ping(pctx); err != nil {
		return Down
	}
	if st := pool.Stat(); st.AcquiredConns() < st.MaxConns() {
		return IsReady
	}
	actx, cancel2 := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel2()
	c, err := pool.Acquire(actx)
	if err != nil {
		return Saturated
	}
	c.Release()
	return IsReady
}
