package application

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/civil"
)

// Item is one line of an officer's work list: no NIK, no birth date.
type Item struct {
	No, Service, FullName string
	Stage                 civil.Stage
	CreatedAt, UpdatedAt  time.Time
}

// List is the office's applications in any of stages, the longest waiting
// (least recently moved) first, at most limit of them.
func (s *Store) List(ctx context.Context, office string, stages []civil.Stage, limit int) ([]Item, error) {
	names := make([]string, len(stages))
	for i, st := range stages {
		names[i] = string(st)
	}
	rows, err := s.Pool.Query(ctx, `SELECT application_no, service, full_name, stage, created_at, updated_at
		FROM applications WHERE office = $1 AND stage = ANY ($2) ORDER BY updated_at, id LIMIT $3`, office, names, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Item, error) {
		var it Item
		err := r.Scan(&it.No, &it.Service, &it.FullName, &it.Stage, &it.CreatedAt, &it.UpdatedAt)
		return it, err
	})
}

// InOffice is one application by number, only within office: another
// office's number is ErrNotFound, as if it did not exist.
func (s *Store) InOffice(ctx context.Context, office, no string) (Application, error) {
	a, err := s.Get(ctx, no)
	if err == nil && a.Office != office {
		return Application{}, ErrNotFound
	}
	return a, err
}

// ByID is one application by id (the queue's tickets hold the id).
func (s *Store) ByID(ctx context.Context, id int64) (Item, error) {
	var it Item
	err := s.Pool.QueryRow(ctx, `SELECT application_no, service, full_name, stage, created_at, updated_at
		FROM applications WHERE id = $1`, id).Scan(&it.No, &it.Service, &it.FullName, &it.Stage, &it.CreatedAt, &it.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return it, ErrNotFound
	}
	return it, err
}

// StageCounts is an office's applications counted per stage (the network
// view's drill-down into one office).
func (s *Store) StageCounts(ctx context.Context, office string) (map[civil.Stage]int, error) {
	rows, err := s.Pool.Query(ctx, `SELECT stage, count(*) FROM applications WHERE office = $1 GROUP BY stage`, office)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[civil.Stage]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[civil.Stage(st)] = n
	}
	return out, rows.Err()
}
