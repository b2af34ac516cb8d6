package printing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Passport statuses in the register.
const (
	StatusPrinted   = "printed"   // printed here, not yet handed over
	StatusValid     = "valid"     // in its holder's hands
	StatusCancelled = "cancelled" // replaced by a newer one at pickup
	StatusLost      = "lost"      // reported lost (seed case #3)
	StatusDamaged   = "damaged"
)

// Book types of blank booklets.
var BookTypes = []string{"ordinary_24", "ordinary_48", "electronic_48"}

// ErrNotFound: no such passport in the register.
var ErrNotFound = errors.New("passport not found")

// Passport is one row of the register.
type Passport struct {
	No            string
	NIK           string
	ApplicationNo string // "" for passports registered from the old system
	Office        string
	BookType      string
	Status        string
	IssuedOn      time.Time
	ExpiresOn     time.Time
	MRZ           []string // the data page's two TD3 lines; none for one registered from the old system
}

// Register is the passport register.
type Register struct{ Pool *pgxpool.Pool }

// ValidFor returns the passport nik holds that is valid on day (status valid
// and not expired), false when none.
func (r *Register) ValidFor(ctx context.Context, nik string, day time.Time) (Passport, bool, error) {
	p, err := scan(r.Pool.QueryRow(ctx, selectPassport+
		` WHERE nik = $1 AND status = 'valid' AND expires_on > $2 ORDER BY expires_on DESC LIMIT 1`, nik, day))
	if errors.Is(err, pgx.ErrNoRows) {
		return Passport{}, false, nil
	}
	return p, err == nil, err
}

// Get reads one passport.
func (r *Register) Get(ctx context.Context, no string) (Passport, error) {
	p, err := scan(r.Pool.QueryRow(ctx, selectPassport+` WHERE passport_no = $1`, no))
	if errors.Is(err, pgx.ErrNoRows) {
		return Passport{}, ErrNotFound
	}
	return p, err
}

// RegisterExisting records a passport issued before SPPT (demo data, the
// old system's export): intake must know it to stop a second "new" one.
func (r *Register) RegisterExisting(ctx context.Context, p Passport, now time.Time) error {
	_, err := r.Pool.Exec(ctx, `INSERT INTO passports (passport_no, nik, office, book_type, status, issued_on, expires_on, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 'valid', $5, $6, $7, $7)
		ON CONFLICT (passport_no) DO NOTHING`, p.No, p.NIK, p.Office, p.BookType, p.IssuedOn, p.ExpiresOn, now)
	if err != nil {
		return fmt.Errorf("register passport: %w", err)
	}
	return nil
}

// SetStatus moves a passport to status (cancelled at a replacement's pickup,
// lost when its holder reports it) inside the caller's transaction.
func SetStatus(ctx context.Context, tx pgx.Tx, no, status, reason string, now time.Time) error {
	tag, err := tx.Exec(ctx, `UPDATE passports SET status = $2, status_reason = $3, updated_at = $4 WHERE passport_no = $1`,
		no, status, reason, now)
	if err != nil {
		return fmt.Errorf("passport status: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

const selectPassport = `SELECT passport_no, nik, coalesce(application_no, ''), office, book_type, status, issued_on, expires_on,
	coalesce(mrz, '{}') FROM passports`

func scan(row pgx.Row) (Passport, error) {
	var p Passport
	err := row.Scan(&p.No, &p.NIK, &p.ApplicationNo, &p.Office, &p.BookType, &p.Status, &p.IssuedOn, &p.ExpiresOn, &p.MRZ)
	return p, err
}
