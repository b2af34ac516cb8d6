// Package application is the application aggregate: one passport application
// from its check-in to its end, and the stage it is in. It owns the table
// applications; every stage package reads and moves applications through
// it, so a rule such as "printed only after payment" is a guard here, not an
// import between stages.
package application

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/civil"
)

// ErrNotFound is an application number that does not exist (or, for the
// public lookups, does not match the birth date or phone given with it).
var ErrNotFound = errors.New("application not found")

// Application is one application record.
type Application struct {
	ID         int64
	No         string
	Office     string
	BookingID  int64
	Service    string
	NIK        string
	FullName   string
	Sex        string
	Phone      string
	BirthDate  time.Time
	Stage      civil.Stage
	PassportNo string // set by printing; "" before
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// No is the number citizens quote for an application born at check-in:
// office, office day and queue number, e.g. JKS-20260302-A001. It is unique
// because queue numbers are unique per office day, and readable over SMS;
// the status lookup also asks for the birth date.
func No(office string, day time.Time, ticket string) string {
	return fmt.Sprintf("%s-%s-%s", office, day.Format("20060102"), ticket)
}

// New is what check-in knows of a new application.
type New struct {
	No        string
	Office    string
	BookingID int64
	Service   string
	NIK       string
	FullName  string
	Sex       string
	Phone     string
	BirthDate time.Time
	Actor     string // who took it in, for the history ("device:…", "officer:…"); default "kiosk"
}

// Create records a new application in stage queued inside the caller's
// transaction (the booking's check-in and the queue ticket share it), with
// its first history row.
func Create(ctx context.Context, tx pgx.Tx, n New, now time.Time) (int64, error) {
	return Seed(ctx, tx, n, civil.StageQueued, now)
}

// Seed records an application already at stage, with no booking when
// n.BookingID is 0: demo data and tests of what citizens see at each stage
// (the stage machine moves real ones).
func Seed(ctx context.Context, tx pgx.Tx, n New, stage civil.Stage, now time.Time) (int64, error) {
	var id int64
	if n.Actor == "" {
		n.Actor = "kiosk"
	}
	err := tx.QueryRow(ctx, `INSERT INTO applications (application_no, office, booking_id, service, nik, full_name,
		birth_date, sex, phone, stage, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
		RETURNING id`, n.No, n.Office, nullableID(n.BookingID), n.Service, n.NIK, n.FullName, n.BirthDate, n.Sex, nullable(n.Phone),
		stage, now).Scan(&id)
	if err != nil {
		return 0, err
	}
	return id, history(ctx, tx, id, "", stage, now, n.Actor, "")
}

// Querier is a pool or a transaction.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// OfBooking is the application a booking's check-in created: its id and number.
func OfBooking(ctx context.Context, q Querier, bookingID int64) (int64, string, error) {
	var id int64
	var no string
	err := q.QueryRow(ctx, `SELECT id, application_no FROM applications WHERE booking_id = $1`, bookingID).Scan(&id, &no)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, "", ErrNotFound
	}
	return id, no, err
}

// Store reads applications for the lookups outside the backoffice.
type Store struct{ Pool *pgxpool.Pool }

// Get is one application by number.
func (s *Store) Get(ctx context.Context, no string) (Application, error) {
	return GetTx(ctx, s.Pool, no)
}

// rowQuerier is a pool or a transaction.
type rowQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// GetTx is Get through db: a transaction reads through itself rather than
// wait for a second pool connection while it holds rows.
func GetTx(ctx context.Context, db rowQuerier, no string) (Application, error) {
	var a Application
	var phone *string
	err := db.QueryRow(ctx, `SELECT id, application_no, office, coalesce(booking_id, 0), service, nik, full_name, sex, phone,
		birth_date, stage, coalesce(passport_no, ''), created_at, updated_at FROM applications WHERE application_no = $1`, no).
		Scan(&a.ID, &a.No, &a.Office, &a.BookingID, &a.Service, &a.NIK, &a.FullName, &a.Sex, &phone,
			&a.BirthDate, &a.Stage, &a.PassportNo, &a.CreatedAt, &a.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, ErrNotFound
	}
	if phone != nil {
		a.Phone = *phone
	}
	return a, err
}

// Public is what the citizen's status lookup shows.
type Public struct {
	No        string
	Stage     civil.Stage
	UpdatedAt time.Time
}

// Status answers the public status lookup: one read, matched on the number
// and the applicant's birth date together so a wrong either is the same
// ErrNotFound.
func (s *Store) Status(ctx context.Context, no string, birth time.Time) (Public, error) {
	var p Public
	err := s.Pool.QueryRow(ctx, `SELECT application_no, stage, updated_at FROM applications
		WHERE application_no = $1 AND birth_date = $2`, no, civil.Date(birth)).Scan(&p.No, &p.Stage, &p.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, ErrNotFound
	}
	return p, err
}

// Stage answers SMS STATUS: the application's stage, only to the phone
// registered on it (false when the number and phone do not match).
func (s *Store) Stage(ctx context.Context, no, phone string) (string, bool, error) {
	var stage string
	err := s.Pool.QueryRow(ctx, `SELECT stage FROM applications WHERE application_no = $1 AND phone = $2`,
		no, phone).Scan(&stage)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return stage, err == nil, err
}

func nullableID(id int64) *int64 {
	if id == 0 {
		return nil // a walk-in has no booking
	}
	return &id
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
