package db

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrSaturated is a request refused before it reached the database because
// too many are already waiting for it (admission control): like a busy
// database, it is answered 503 with Retry-After.
var ErrSaturated = errors.New("db: too many requests waiting for the database")

// Transient reports whether err says the database is down, restarting or
// too busy right now — not that the request was wrong: a lock or statement
// timeout, a deadlock victim, the server shutting down or refusing
// connections, a broken connection, or a connection not had in time. The
// caller should answer 503 with Retry-After (the request may simply be
// sent again), never 500.
func Transient(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrSaturated) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "55P03", "57014", "40P01", "57P01", "57P02", "57P03", "53300", "53400":
			return true
		}
		return strings.HasPrefix(pe.Code, "08")
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.DeadlineExceeded) || pgconn.SafeToRetry(err) || strings.Contains(err.Error(), "conn closed")
}
