package application

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// Applicant is what biometric capture needs of an application: where it is
// handled, whose it is (the NIK is the identity a face is enrolled under) and
// for which service.
type Applicant struct {
	No      string
	Office  string
	NIK     string
	Service string
}

// ApplicantOf reads one application's applicant; ErrNotFound when none.
func ApplicantOf(ctx context.Context, q Querier, no string) (Applicant, error) {
	a := Applicant{No: no}
	err := q.QueryRow(ctx, `SELECT office, nik, service FROM applications WHERE application_no = $1`, no).
		Scan(&a.Office, &a.NIK, &a.Service)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, ErrNotFound
	}
	return a, err
}
