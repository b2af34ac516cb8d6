package db

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// What a PostgreSQL restart, a held lock or a busy server gives a request
// is transient (503 database_busy, Retry-After), what a wrong request gives
// is not (proof/faults restarts a real server under load; this names each
// error that run can meet, wrapped as the domains wrap them).
func TestTransientErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, refused := pgconn.Connect(ctx, "postgres://postgres@127.0.0.1:1/x?sslmode=disable&connect_timeout=2")
	if refused == nil {
		t.Fatal("a connection to port 1 succeeded")
	}
	pg := func(code string) error { return &pgconn.PgError{Code: code} }
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused while the server is down", refused, true},
		{"57P01 terminating connection due to administrator command (fast shutdown)", pg("57P01"), true},
		{"57P03 the database system is shutting down / starting up", pg("57P03"), true},
		{"57P02 crash shutdown", pg("57P02"), true},
		{"08006 connection failure", pg("08006"), true},
		{"55P03 lock_timeout", pg("55P03"), true},
		{"57014 statement_timeout", pg("57014"), true},
		{"40P01 deadlock victim", pg("40P01"), true},
		{"53300 too many connections", pg("53300"), true},
		{"unexpected EOF mid-answer", io.ErrUnexpectedEOF, true},
		{"a closed connection", errors.New("conn closed"), true},
		{"no pool connection in time", context.DeadlineExceeded, true},
		{"wrapped by a domain", fmt.Errorf("quota: book: %w", pg("57P01")), true},
		{"23505 unique violation", pg("23505"), false},
		{"23514 check violation", pg("23514"), false},
		{"22P02 invalid input", pg("22P02"), false},
		{"a programming error", errors.New("nil map"), false},
		{"nil", nil, false},
	} {
		if got := Transient(c.err); got != c.want {
			t.Errorf("%s: Transient(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
	}
}
