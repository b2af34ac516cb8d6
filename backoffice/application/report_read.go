package application

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/civil"
)

// The reads below serve the SLA dashboard and the daily recap
// (backoffice/sla, backoffice/report): counts and stages only, never a name,
// NIK or birth date.

// StagesOf is the stage now of each of the office's applications nos
// (numbers of other offices are left out).
func (s *Store) StagesOf(ctx context.Context, office string, nos []string) (map[string]civil.Stage, error) {
	out := make(map[string]civil.Stage, len(nos))
	if len(nos) == 0 {
		return out, nil
	}
	rows, err := s.Pool.Query(ctx, `SELECT application_no, stage FROM applications
		WHERE office = $1 AND application_no = ANY ($2)`, office, nos)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var no, st string
		if err := rows.Scan(&no, &st); err != nil {
			return nil, err
		}
		out[no] = civil.Stage(st)
	}
	return out, rows.Err()
}

// ServiceStage is how many of a day's applications of one service are in
// one stage now.
type ServiceStage struct {
	Service string
	Stage   civil.Stage
	N       int
}

// DayCounts is the office's applications born on the office day, by service
// and by the stage they are in now.
func (s *Store) DayCounts(ctx context.Context, office string, day time.Time) ([]ServiceStage, error) {
	rows, err := s.Pool.Query(ctx, `SELECT a.service, a.stage, count(*) FROM applications a JOIN offices o ON o.code = a.office
		WHERE a.office = $1 AND a.created_at >= ($2::date::timestamp AT TIME ZONE o.timezone)
		  AND a.created_at < (($2::date + 1)::timestamp AT TIME ZONE o.timezone)
		GROUP BY a.service, a.stage ORDER BY a.service, a.stage`, office, civil.Date(day))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ServiceStage, error) {
		var x ServiceStage
		return x, r.Scan(&x.Service, &x.Stage, &x.N)
	})
}

// EnteredOn is how many of the office's applications entered stage during
// the office day (e.g. picked_up: passports issued that day).
func (s *Store) EnteredOn(ctx context.Context, office string, stage civil.Stage, day time.Time) (int, error) {
	var n int
	err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM application_history h
		JOIN applications a ON a.id = h.application_id JOIN offices o ON o.code = a.office
		WHERE a.office = $1 AND h.to_stage = $2
		  AND h.at >= ($3::date::timestamp AT TIME ZONE o.timezone) AND h.at < (($3::date + 1)::timestamp AT TIME ZONE o.timezone)`,
		office, stage, civil.Date(day)).Scan(&n)
	return n, err
}

// OfficesOf is the codes and names of a region's offices, by code.
func (s *Store) OfficesOf(ctx context.Context, region string) ([][2]string, error) {
	rows, err := s.Pool.Query(ctx, `SELECT code, name FROM offices WHERE region = $1 ORDER BY code`, region)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var x [2]string
		return x, r.Scan(&x[0], &x[1])
	})
}

// OfficeInfo is an office's name and region; ErrNotFound for an unknown code.
func (s *Store) OfficeInfo(ctx context.Context, code string) (name, region string, err error) {
	err = s.Pool.QueryRow(ctx, `SELECT name, coalesce(region, '') FROM offices WHERE code = $1`, code).Scan(&name, &region)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", ErrNotFound
	}
	return name, region, err
}
