package faults

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/sppt/sppt/internal/db"
)

// cluster is a private PostgreSQL the test owns, started by db.EnsureServer
// as `make run` starts one (on a free port, for a folder of the test's own),
// so that it can be restarted without touching the shared server.
type cluster struct {
	srv *db.Server
}

// privateCluster starts one; the test's end stops it and removes its files.
// It changes db.LocalAddr and db.PrivatePort for the call, so only one
// test of this package may start a cluster.
func privateCluster(t *testing.T) *cluster {
	t.Helper()
	if pgBin() == "" {
		t.Skip("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	oldLocal, oldPort := db.LocalAddr, db.PrivatePort
	db.LocalAddr, db.PrivatePort = "127.0.0.1:1", port // never the shared server
	defer func() { db.LocalAddr, db.PrivatePort = oldLocal, oldPort }()
	dataDir := filepath.Join(t.TempDir(), "data")
	srv, err := db.EnsureServer(context.Background(), "", dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if !srv.Started() {
		t.Fatalf("expected a private cluster started here, got %+v", srv)
	}
	t.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			t.Logf("stopping the private cluster: %v", err)
		}
		os.RemoveAll(srv.Dir) // as root it lives under /var/tmp, not in t.TempDir()
	})
	return &cluster{srv: srv}
}

// restart is `pg_ctl restart -m fast`: every session is ended, the server
// shuts down and starts again with the options it was started with.
func (c *cluster) restart() error {
	// -l: the new postmaster must not inherit pg_ctl's output, or waiting
	// for pg_ctl's output to end would wait for the server's.
	return pgCtl(c.srv.Dir, "-D", filepath.Join(c.srv.Dir, "pg"), "-l", filepath.Join(c.srv.Dir, "postgres.log"),
		"-m", "fast", "-w", "-t", "60", "restart")
}

// pgBin is the newest /usr/lib/postgresql/N/bin, as internal/db picks it.
func pgBin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		a, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		b, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return a < b
	})
	if len(dirs) == 0 {
		return ""
	}
	return dirs[len(dirs)-1]
}

// pgCtl runs pg_ctl in dir, as postgres when the test runs as root (as
// internal/db does: PostgreSQL refuses to run as root).
func pgCtl(dir string, args ...string) error {
	argv := append([]string{filepath.Join(pgBin(), "pg_ctl")}, args...)
	if os.Geteuid() == 0 {
		argv = append([]string{"runuser", "-u", "postgres", "--"}, argv...)
	}
	out, err := os.CreateTemp("", "pg_ctl")
	if err != nil {
		return err
	}
	defer os.Remove(out.Name())
	defer out.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = out, out // a file, not a pipe: nothing waits for its end
	if err := cmd.Run(); err != nil {
		b, _ := os.ReadFile(out.Name())
		return fmt.Errorf("%v: %s", err, b)
	}
	return nil
}
