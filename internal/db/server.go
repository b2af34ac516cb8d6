package db

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server is a PostgreSQL that EnsureServer found or started.
type Server struct {
	URL     string // the "sppt" database
	Admin   string // the "postgres" database of a server found or started here ("" for DATABASE_URL)
	Private bool   // a private cluster (started here or already running)
	Dir     string // when Private: the folder holding the cluster, its socket and postgres.log
	started bool   // we started it, so Stop stops it
}

// EnsureServer finds a PostgreSQL to use, in the order CONTRACT.md gives:
// DATABASE_URL, else a server on LocalAddr, else a private cluster for the
// checkout whose data folder is dataDir, started with the system's
// PostgreSQL binaries. The database "sppt" is created when missing.
// `sppt dev` (make run) and the test runner (make test) both call it.
func EnsureServer(ctx context.Context, databaseURL, dataDir string) (*Server, error) {
	if databaseURL != "" {
		return &Server{URL: databaseURL}, nil
	}
	if admin := "postgres://postgres@" + LocalAddr + "/postgres?sslmode=disable"; reachable(ctx, admin) {
		return serverAt(ctx, admin)
	}
	return startPrivate(ctx, dataDir)
}

// Stop shuts a private cluster down cleanly if this process started it; a
// cluster that was already running (another `make run`) is left to its owner.
func (s *Server) Stop() error {
	if !s.started {
		return nil
	}
	s.started = false
	return pgRun(binDir(), s.Dir, "pg_ctl", "-D", filepath.Join(s.Dir, "pg"), "-m", "fast", "-w", "stop")
}

// Started says whether Stop will stop the cluster.
func (s *Server) Started() bool { return s.started }

// LocalAddr is where a machine's own PostgreSQL is looked for;
// SPPT_LOCAL_PG_ADDR moves it (tests point it at a closed port).
var LocalAddr = envOr("SPPT_LOCAL_PG_ADDR", "127.0.0.1:5432")

// PrivatePort is the private cluster's port (SPPT_PRIVATE_PG_PORT).
var PrivatePort = envOr("SPPT_PRIVATE_PG_PORT", "54329")

// RootClusters holds root's private clusters (see ClusterDir): kept across
// reboots, unlike /tmp, and reachable by postgres.
var RootClusters = "/var/tmp"

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func serverAt(ctx context.Context, admin string) (*Server, error) {
	if err := createDatabase(ctx, admin, "sppt"); err != nil {
		return nil, err
	}
	u, _ := url.Parse(admin)
	u.Path = "/sppt"
	return &Server{URL: u.String(), Admin: admin}, nil
}

func startPrivate(ctx context.Context, dataDir string) (*Server, error) {
	bin := binDir()
	if bin == "" {
		return nil, fmt.Errorf("no PostgreSQL on %s and no server binaries under /usr/lib/postgresql/*/bin: "+
			"install them (Debian: apt-get install postgresql) or set DATABASE_URL", LocalAddr)
	}
	dir, err := ClusterDir(dataDir)
	if err != nil {
		return nil, err
	}
	if err := prepareDir(dir); err != nil {
		return nil, err
	}
	pgdata := filepath.Join(dir, "pg")
	admin := "postgres://postgres@127.0.0.1:" + PrivatePort + "/postgres?sslmode=disable"
	if reachable(ctx, admin) { // this checkout's cluster already runs (a `make run` beside `make test`)
		if err := sameCluster(ctx, admin, pgdata); err != nil {
			return nil, err
		}
		s, err := serverAt(ctx, admin)
		if s != nil {
			s.Private, s.Dir = true, dir
		}
		return s, err
	}
	if _, err := os.Stat(filepath.Join(pgdata, "PG_VERSION")); err != nil {
		if err := pgRun(bin, dir, "initdb", "-D", pgdata, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
			return nil, fmt.Errorf("initdb %s: %w", pgdata, err)
		}
	}
	logFile := filepath.Join(dir, "postgres.log")
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %s -k %s -c max_connections=400", PrivatePort, dir)
	if err := pgRun(bin, dir, "pg_ctl", "-D", pgdata, "-l", logFile, "-w", "-t", "60", "-o", opts, "start"); err != nil {
		return nil, fmt.Errorf("pg_ctl start (see %s): %w", logFile, err)
	}
	s, err := serverAt(ctx, admin)
	if err != nil {
		_ = pgRun(bin, dir, "pg_ctl", "-D", pgdata, "-m", "fast", "-w", "stop")
		return nil, err
	}
	s.Private, s.Dir, s.started = true, dir, true
	return s, nil
}

// ClusterDir is where the private cluster of the checkout whose data folder
// is dataDir lives. PostgreSQL refuses to run as root, and as root the
// checkout is often where its postgres user cannot go (Debian's /root is
// 0700), so root's clusters live under /var/tmp, one per checkout (named by
// a hash of its path) and owned by postgres; anyone else's stay in dataDir.
func ClusterDir(dataDir string) (string, error) {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return "", err
	}
	if os.Geteuid() != 0 {
		return abs, nil
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(RootClusters, "sppt-pg-"+hex.EncodeToString(sum[:6])), nil
}

// prepareDir makes the cluster's folder. As root it is handed to postgres,
// after checking it is a real folder no one else planted in /var/tmp.
func prepareDir(dir string) error {
	if os.Geteuid() != 0 {
		return os.MkdirAll(dir, 0o755)
	}
	uid, gid, err := postgresUser()
	if err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !os.IsExist(err) {
		return err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok || (st.Uid != 0 && int(st.Uid) != uid) {
		return fmt.Errorf("%s exists but is not a folder owned by root or postgres: remove it", dir)
	}
	if err := os.Chown(dir, uid, gid); err != nil {
		return err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return err
	}
	return nil
}

func postgresUser() (uid, gid int, err error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return 0, 0, fmt.Errorf("PostgreSQL refuses to run as root and there is no postgres user: " +
			"install the server (Debian: apt-get install postgresql) or set DATABASE_URL")
	}
	uid, _ = strconv.Atoi(u.Uid)
	gid, _ = strconv.Atoi(u.Gid)
	return uid, gid, nil
}

// sameCluster refuses a server on the private port that serves another
// checkout's cluster (its data would not be this checkout's).
func sameCluster(ctx context.Context, admin, pgdata string) error {
	c, err := pgx.Connect(ctx, admin)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	var got string
	if err := c.QueryRow(ctx, "SHOW data_directory").Scan(&got); err != nil {
		return err
	}
	if filepath.Clean(got) != pgdata {
		return fmt.Errorf("port %s is taken by the PostgreSQL of %s, not this checkout's %s: stop it or set SPPT_PRIVATE_PG_PORT", PrivatePort, got, pgdata)
	}
	return nil
}

// binDir picks the newest /usr/lib/postgresql/N/bin.
func binDir() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgMajor(dirs[i]) < pgMajor(dirs[j]) })
	if len(dirs) == 0 {
		return ""
	}
	return dirs[len(dirs)-1]
}

func pgMajor(bin string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return n
}

// pgRun runs a server program in dir (so the postgres user never needs the
// caller's working folder); as root it runs as postgres.
func pgRun(bin, dir, name string, args ...string) error {
	argv := append([]string{filepath.Join(bin, name)}, args...)
	if os.Geteuid() == 0 {
		argv = append([]string{"runuser", "-u", "postgres", "--"}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%w\n%s", err, bytes.TrimSpace(out))
	}
	return nil
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
