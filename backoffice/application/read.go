package application

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/civil"
)

// Scope is whose applications an officer sees: one office, or (a regional
// head) the offices of a region.
type Scope struct{ Office, Region string }

// Summary is one row of the officers' list.
type Summary struct {
	No         string      `json:"application_no"`
	Stage      civil.Stage `json:"stage"`
	Service    string      `json:"service"`
	PassportNo *string     `json:"passport_no"`
}

// MaxList bounds one list answer.
const MaxList = 500

// List is the scope's applications, oldest first, optionally in one stage
// and born on one office day (zero day: any).
func (s *Stages) List(ctx context.Context, sc Scope, stage civil.Stage, day time.Time) ([]Summary, error) {
	var d *string
	if !day.IsZero() {
		v := civil.Date(day)
		d = &v
	}
	rows, err := s.Pool.Query(ctx, `SELECT a.application_no, a.stage, a.service, a.passport_no
		FROM applications a JOIN offices o ON o.code = a.office
		WHERE ($1 = '' OR a.office = $1) AND ($2 = '' OR o.region = $2) AND ($3 = '' OR a.stage = $3)
		  AND ($4::date IS NULL OR (a.created_at AT TIME ZONE o.timezone)::date = $4::date)
		ORDER BY a.created_at, a.id LIMIT $5`, sc.Office, sc.Region, stage, d, MaxList)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Summary, error) {
		var x Summary
		err := r.Scan(&x.No, &x.Stage, &x.Service, &x.PassportNo)
		return x, err
	})
}

// Step is one history row: the stage entered, when, by whom, why.
type Step struct {
	Stage  civil.Stage `json:"stage"`
	At     time.Time   `json:"at"`
	Actor  string      `json:"actor"`
	Reason string      `json:"reason"`
}

// Record is one application as officers see it, with its history.
type Record struct {
	No         string      `json:"application_no"`
	Office     string      `json:"office"`
	Service    string      `json:"service"`
	Stage      civil.Stage `json:"stage"`
	PassportNo *string     `json:"passport_no"`
	History    []Step      `json:"history"`
}

// Record is the application no within scope (ErrNotFound outside it).
func (s *Stages) Record(ctx context.Context, sc Scope, no string) (Record, error) {
	var r Record
	var id int64
	err := s.Pool.QueryRow(ctx, `SELECT a.id, a.application_no, a.office, a.service, a.stage, a.passport_no
		FROM applications a JOIN offices o ON o.code = a.office
		WHERE a.application_no = $1 AND ($2 = '' OR a.office = $2) AND ($3 = '' OR o.region = $3)`,
		no, sc.Office, sc.Region).Scan(&id, &r.No, &r.Office, &r.Service, &r.Stage, &r.PassportNo)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, err
	}
	rows, err := s.Pool.Query(ctx, `SELECT to_stage, at, actor, reason FROM application_history
		WHERE application_id = $1 ORDER BY id`, id)
	if err != nil {
		return r, err
	}
	r.History, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Step, error) {
		var x Step
		err := row.Scan(&x.Stage, &x.At, &x.Actor, &x.Reason)
		return x, err
	})
	return r, err
}

// InStage is the office's applications in one stage, oldest arrival there
// first: a stage package's inbox.
func (s *Stages) InStage(ctx context.Context, office string, stage civil.Stage, limit int) ([]Application, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, application_no, office, coalesce(booking_id, 0), service, nik, full_name, sex,
			coalesce(phone, ''), birth_date, stage, coalesce(passport_no, ''), created_at, updated_at
		FROM applications WHERE office = $1 AND stage = $2 ORDER BY updated_at, id LIMIT $3`, office, stage, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Application, error) {
		var a Application
		err := r.Scan(&a.ID, &a.No, &a.Office, &a.BookingID, &a.Service, &a.NIK, &a.FullName, &a.Sex, &a.Phone,
			&a.BirthDate, &a.Stage, &a.PassportNo, &a.CreatedAt, &a.UpdatedAt)
		return a, err
	})
}
