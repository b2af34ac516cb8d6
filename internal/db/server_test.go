package db

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// With no DATABASE_URL and nothing listening on the local address, a private
// cluster is created for a checkout inside a 0700 folder (as Debian's /root
// is), serves a "sppt" database, and stops cleanly; a second start reuses
// it, and a third EnsureServer beside a running one shares it without
// stopping it.
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

	home, err := os.MkdirTemp("", "sppt-private-pg") // 0700
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(home)
	dataDir := filepath.Join(home, "checkout", ".data")
	dir, err := ClusterDir(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	for round := 0; round < 2; round++ {
		srv, err := EnsureServer(ctx, "", dataDir)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if !srv.Private || !srv.Started() || srv.Dir != dir {
			t.Fatalf("round %d: expected a private cluster started in %s, got %+v", round, dir, srv)
		}
		queryName(t, srv.URL, "sppt")
		if round == 1 {
			again, err := EnsureServer(ctx, "", dataDir)
			if err != nil || !again.Private || again.Started() {
				t.Fatalf("beside a running cluster: %+v %v", again, err)
			}
			queryName(t, again.Admin, "postgres")
			if err := again.Stop(); err != nil || !reachable(ctx, srv.URL) {
				t.Fatalf("the sharer's Stop stopped the owner's cluster (%v)", err)
			}
		}
		if err := srv.Stop(); err != nil {
			t.Fatalf("stop: %v", err)
		}
		if reachable(ctx, srv.URL) {
			t.Fatal("cluster still answers after Stop")
		}
	}
}

func queryName(t *testing.T, url, want string) {
	t.Helper()
	ctx := context.Background()
	pool, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var name string
	if err := pool.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil || name != want {
		t.Fatalf("database %q, %v; want %q", name, err, want)
	}
}

// As root the cluster lives outside the checkout, one folder per checkout.
func TestClusterDirPerCheckout(t *testing.T) {
	a, _ := ClusterDir("/root/a/.data")
	b, _ := ClusterDir("/root/b/.data")
	if os.Geteuid() != 0 {
		if a != "/root/a/.data" {
			t.Fatalf("non-root: %s, want the data folder itself", a)
		}
		return
	}
	if a == b || filepath.Dir(a) != RootClusters {
		t.Fatalf("root: %s and %s", a, b)
	}
}

func TestEnsureServerPrefersDatabaseURL(t *testing.T) {
	srv, err := EnsureServer(context.Background(), "postgres://x@example.invalid/db", t.TempDir())
	if err != nil || srv.URL != "postgres://x@example.invalid/db" || srv.Private {
		t.Fatalf("%+v %v", srv, err)
	}
}
