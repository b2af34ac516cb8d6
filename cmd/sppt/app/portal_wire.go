package app

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/portal"
)

// applicationStatus answers the portal's status lookup from the applications
// table: one read, matched on the number and the applicant's birth date
// together so a wrong either is the same "not found".
type applicationStatus struct{ pool *pgxpool.Pool }

func (s applicationStatus) Status(ctx context.Context, no string, birth time.Time) (portal.Application, error) {
	var a portal.Application
	err := s.pool.QueryRow(ctx, `SELECT application_no, stage, updated_at FROM applications
		WHERE application_no = $1 AND birth_date = $2`, no, birth.Format("2006-01-02")).Scan(&a.ApplicationNo, &a.Stage, &a.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, portal.ErrNotFound
	}
	return a, err
}
