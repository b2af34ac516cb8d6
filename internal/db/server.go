package db

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server is a PostgreSQL that EnsureServer found or started.
type Server struct {
	URL     string
	Private bool   // started by us under dataDir
	dataDir string // when Private
}

// EnsureServer finds a PostgreSQL to use, in the order CONTRACT.md gives:
// DATABASE_URL, else a server on 127.0.0.1:5432, else a private cluster
// started under dataDir with the system's PostgreSQL binaries. The database
// "sppt" is created when missing.
func EnsureServer(ctx context.Context, databaseURL, dataDir string) (*Server, error) {
	if databaseURL != "" {
		return &Server{URL: databaseURL}, nil
	}
	if admin := "postgres://postgres@" + LocalAddr + "/postgres?sslmode=disable"; reachable(ctx, admin) {
		if err := createDatabase(ctx, admin, "sppt"); err != nil {
			return nil, err
		}
		return &Server{URL: "postgres://postgres@" + LocalAddr + "/sppt?sslmode=disable"}, nil
	}
	return startPrivate(ctx, dataDir)
}

// Stop shuts a private cluster down cleanly; it does nothing for others.
func (s *Server) Stop() error {
	if !s.Private {
		return nil
	}
	return runAs(pgCmd(binDir(), "pg_ctl", "-D", filepath.Join(s.dataDir, "pg"), "-m", "fast", "-w", "stop"), s.dataDir)
}

// LocalAddr is where a machine's own PostgreSQL is looked for.
var LocalAddr = "127.0.0.1:5432"

// PrivatePort is the port of the private cluster under .data/.
var PrivatePort = "54329"

func startPrivate(ctx context.Context, dataDir string) (*Server, error) {
	bin := binDir()
	if bin == "" {
		return nil, fmt.Errorf("no PostgreSQL reachable and no server binaries under /usr/lib/postgresql/*/bin: install postgresql or set DATABASE_URL")
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, err
	}
	pgdata := filepath.Join(abs, "pg")
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(pgdata, "PG_VERSION")); err != nil {
		if err := runAs(pgCmd(bin, "initdb", "-D", pgdata, "-U", "postgres", "--auth=trust", "-E", "UTF8"), abs); err != nil {
			return nil, fmt.Errorf("initdb: %w", err)
		}
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %s -k %s", PrivatePort, abs)
	start := pgCmd(bin, "pg_ctl", "-D", pgdata, "-l", filepath.Join(abs, "postgres.log"), "-w", "-o", opts, "start")
	if err := runAs(start, abs); err != nil {
		return nil, fmt.Errorf("pg_ctl start (see %s): %w", filepath.Join(abs, "postgres.log"), err)
	}
	admin := "postgres://postgres@127.0.0.1:" + PrivatePort + "/postgres?sslmode=disable"
	if err := createDatabase(ctx, admin, "sppt"); err != nil {
		return nil, err
	}
	return &Server{URL: strings.Replace(admin, "/postgres?", "/sppt?", 1), Private: true, dataDir: abs}, nil
}

// binDir picks the newest /usr/lib/postgresql/N/bin.
func binDir() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Strings(dirs)
	if len(dirs) == 0 {
		return ""
	}
	return dirs[len(dirs)-1]
}

func pgCmd(bin, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(bin, name), args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd
}

// runAs runs a server command; PostgreSQL refuses to run as root, so as root
// the data folder is handed to the postgres user and the command runs as it.
func runAs(cmd *exec.Cmd, dir string) error {
	if os.Geteuid() != 0 {
		return cmd.Run()
	}
	if err := exec.Command("chown", "-R", "postgres:postgres", dir).Run(); err != nil {
		return fmt.Errorf("chown %s to postgres: %w", dir, err)
	}
	wrapped := exec.Command("runuser", append([]string{"-u", "postgres", "--", cmd.Path}, cmd.Args[1:]...)...)
	wrapped.Stdout, wrapped.Stderr = cmd.Stdout, cmd.Stderr
	return wrapped.Run()
}

func reachable(ctx context.Context, url string) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		return false
	}
	c.Close(ctx)
	return true
}

func createDatabase(ctx context.Context, adminURL, name string) error {
	c, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	var exists bool
	if err := c.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = c.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	if err != nil && IsUnique(err, "") { // another instance created it first
		return nil
	}
	return err
}
