package db

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// With no DATABASE_URL and nothing listening on the local address, a private
// cluster is created under the data folder, serves a "sppt" database, and
// stops cleanly; a second start reuses it.
func TestEnsureServerStartsAPrivateCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("initdb takes a few seconds")
	}
	if binDir() == "" {
		t.Skip("no PostgreSQL server binaries on this machine")
	}
	oldLocal, oldPort := LocalAddr, PrivatePort
	LocalAddr, PrivatePort = "127.0.0.1:1", "54391"
	defer func() { LocalAddr, PrivatePort = oldLocal, oldPort }()

	dir, err := os.MkdirTemp("", "sppt-private-pg")
	if err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(dir, 0o755) // the postgres user must reach it when tests run as root
	defer os.RemoveAll(dir)
	ctx := context.Background()
	for round := 0; round < 2; round++ {
		srv, err := EnsureServer(ctx, "", filepath.Join(dir, ".data"))
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if !srv.Private {
			t.Fatalf("round %d: expected a private cluster, got %s", round, srv.URL)
		}
		pool, err := Open(ctx, srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		var name string
		if err := pool.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil || name != "sppt" {
			t.Fatalf("database %q, %v", name, err)
		}
		pool.Close()
		if err := srv.Stop(); err != nil {
			t.Fatalf("stop: %v", err)
		}
		if reachable(ctx, srv.URL) {
			t.Fatal("cluster still answers after Stop")
		}
	}
}

func TestEnsureServerPrefersDatabaseURL(t *testing.T) {
	srv, err := EnsureServer(context.Background(), "postgres://x@example.invalid/db", t.TempDir())
	if err != nil || srv.URL != "postgres://x@example.invalid/db" || srv.Private {
		t.Fatalf("%+v %v", srv, err)
	}
}
