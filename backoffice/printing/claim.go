package printing

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/idn"
)

// IssuingState and Nationality of every passport SPPT prints.
const (
	IssuingState    = "IDN"
	NationalityName = "INDONESIA"
)

// MRZ is the two TD3 lines of an Indonesian passport's data page.
//
// Indonesia records one full name (the data page's "Nama Lengkap") and no
// surname: there is no family-name convention across its peoples. ICAO 9303
// Part 3 §4.6 places a name that has no primary/secondary distinction whole
// in the primary identifier, so the full name (a single name included) goes
// there and the secondary identifier stays empty: "SITI<ZULAIKHA<<<…".
// Splitting off a "surname" would invent one that appears on no document.
func MRZ(passportNo, fullName, sex string, birth, expiry time.Time) ([2]string, error) {
	return idn.TD3(idn.Passport{DocumentNumber: passportNo, IssuingState: IssuingState, Nationality: IssuingState,
		Surname: fullName, BirthDate: birth, Sex: sex, Expiry: expiry})
}

// Claim hands the office's oldest waiting print job to printer device: a
// job nobody holds, or one whose printer kept it past the lease. Jobs of a
// book type the office has no blank of wait. Two printers never get the
// same job (SKIP LOCKED). false when none waits.
func (s *Service) Claim(ctx context.Context, office, device string) (civil.PrintJob, bool, error) {
	var job civil.PrintJob
	found := false
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		now := s.Clock.Now()
		var years int
		err := tx.QueryRow(ctx, `SELECT id, application_no, passport_no, book_type, validity_years FROM print_jobs j
			WHERE office = $1 AND (status = 'queued' OR status = 'claimed' AND claimed_at < $2)
			  AND EXISTS (SELECT 1 FROM blanks b WHERE b.office = j.office AND b.book_type = j.book_type AND b.state = 'in_stock')
			ORDER BY queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`, office, now.Add(-s.lease())).
			Scan(&job.JobID, &job.ApplicationNo, &job.PassportNo, &job.BookType, &years)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := s.personalise(ctx, tx, &job, office, years, now); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE print_jobs SET status = 'claimed', claimed_by = $2, claimed_at = $3,
			attempts = attempts + 1, issued_on = $4, expires_on = $5, mrz = $6 WHERE id = $1`,
			job.JobID, device, now, job.DataPage.IssuedOn, job.DataPage.ExpiresOn, job.MRZ)
		found = err == nil
		return err
	})
	return job, found, err
}

// personalise fills the data page and MRZ from the application record:
// issued today (the office's day), valid years from today.
func (s *Service) personalise(ctx context.Context, tx pgx.Tx, job *civil.PrintJob, office string, years int, now time.Time) error {
	a, err := application.GetTx(ctx, tx, job.ApplicationNo)
	if err != nil {
		return err
	}
	day, err := officeDay(ctx, tx, office, now)
	if err != nil {
		return err
	}
	var officeName string
	if err := tx.QueryRow(ctx, `SELECT name FROM offices WHERE code = $1`, office).Scan(&officeName); err != nil {
		return err
	}
	expiry := day.AddDate(years, 0, 0)
	mrz, err := MRZ(job.PassportNo, a.FullName, a.Sex, a.BirthDate, expiry)
	if err != nil {
		return err
	}
	job.MRZ = mrz[:]
	job.DataPage = civil.DataPage{Type: "P", IssuingState: IssuingState, PassportNo: job.PassportNo,
		FullName: a.FullName, Nationality: NationalityName, BirthDate: civil.Date(a.BirthDate), Sex: a.Sex,
		IssuedOn: civil.Date(day), ExpiresOn: civil.Date(expiry), IssuingOffice: officeName, RegNo: a.No}
	return nil
}
