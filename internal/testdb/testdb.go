// Package testdb gives each test its own PostgreSQL database, cloned from a
// template that is migrated (and seeded) once per migration set.
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io/fs"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver pgtestdb opens
	"github.com/peterldowns/pgtestdb"

	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/migrations"
)

// Seed fills the template after migrations; Name distinguishes templates.
type Seed struct {
	Name string
	Fn   func(ctx context.Context, pool *pgxpool.Pool) error
}

// New returns the URL of a fresh, migrated, seeded database that is dropped
// when the test ends. The server is TEST_DATABASE_URL, else the local one.
func New(t testing.TB, seed Seed) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	pw, _ := u.User.Password()
	conf := pgtestdb.Config{
		DriverName: "pgx", Host: u.Hostname(), Port: u.Port(), User: u.User.Username(), Password: pw,
		Database: u.Path[1:], Options: u.RawQuery, ForceTerminateConnections: true,
	}
	return pgtestdb.Custom(t, conf, migrator{seed}).URL()
}

// Pool is New plus a pool closed at the end of the test.
func Pool(t testing.TB, seed Seed) (*pgxpool.Pool, string) {
	t.Helper()
	u := New(t, seed)
	pool, err := db.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool, u
}

// Superuser returns url with the server's admin user, for tests that must
// reach behind the application's guards.
func Superuser(t testing.TB, dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	admin := os.Getenv("TEST_DATABASE_URL")
	if admin == "" {
		admin = "postgres://postgres@127.0.0.1:5432/postgres"
	}
	a, _ := url.Parse(admin)
	u.User = a.User
	return u.String()
}

type migrator struct{ seed Seed }

func (m migrator) Hash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, p)
		h.Write([]byte(p))
		h.Write(b)
		return err
	})
	h.Write([]byte("seed:" + m.seed.Name))
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

func (m migrator) Migrate(ctx context.Context, _ *sql.DB, conf pgtestdb.Config) error {
	pool, err := db.Open(ctx, conf.URL())
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := db.Migrate(ctx, pool, migrations.FS); err != nil {
		return err
	}
	if m.seed.Fn != nil {
		return m.seed.Fn(ctx, pool)
	}
	return nil
}

// Empty creates an empty database (no migrations), dropped when the test
// ends: for tests of migrating itself.
func Empty(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	admin := os.Getenv("TEST_DATABASE_URL")
	if admin == "" {
		admin = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "sppt_empty_" + hex.EncodeToString(b[:])
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			return
		}
		defer c.Close(ctx)
		_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}
