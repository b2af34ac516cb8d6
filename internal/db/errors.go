package db

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

func pgCode(err error, code, constraint string) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != code {
		return false
	}
	return constraint == "" || pe.ConstraintName == constraint
}
