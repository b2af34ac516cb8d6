// Command withdb runs a command (make test's `go test`) with
// TEST_DATABASE_URL set to the PostgreSQL that `make run` would use, found
// or started by the same db.EnsureServer: TEST_DATABASE_URL or DATABASE_URL,
// else 127.0.0.1:5432, else this checkout's private cluster, which it stops
// when the command ends.
//
//	go run ./internal/db/withdb -- go test ./...
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"github.com/sppt/sppt/internal/db"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: withdb -- command [args]")
		os.Exit(2)
	}
	code, err := run(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "withdb:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func run(args []string) (int, error) {
	if os.Getenv("TEST_DATABASE_URL") != "" {
		return command(args)
	}
	srv, err := db.EnsureServer(context.Background(), os.Getenv("DATABASE_URL"), ".data")
	if err != nil {
		return 1, err
	}
	url := srv.Admin // tests create their databases beside "postgres"
	if url == "" {
		url = srv.URL
	}
	where := "found"
	if srv.Private {
		where = "private cluster in " + srv.Dir
	}
	fmt.Fprintf(os.Stderr, "tests use PostgreSQL %s (%s)\n", url, where)
	os.Setenv("TEST_DATABASE_URL", url)
	code, err := command(args)
	if stopErr := srv.Stop(); stopErr != nil {
		err = errors.Join(err, fmt.Errorf("stopping the private PostgreSQL: %w", stopErr))
	}
	return code, err
}

// command runs args to the end. Ctrl-C reaches it from the terminal; a
// signal sent to this process alone is passed on; either way the cluster is
// stopped after it exits.
func command(args []string) (int, error) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	if err := cmd.Start(); err != nil {
		return 1, err
	}
	go func() {
		for s := range sig {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	return 0, err
}
