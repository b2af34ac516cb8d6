package printing

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// DefaultBookType is the book printed: the 48-page ordinary book, the one
// billing charges for today (it bills no e-passport yet).
const DefaultBookType = "ordinary_48"

// DefaultLease is how long a claimed job stays with its printer before
// another may claim it (a printer that died mid-job).
const DefaultLease = 15 * time.Minute

// Service is the printing step: print jobs, the printers' side of them, the
// passport register's officer API and the blanks page.
type Service struct {
	Pool      *pgxpool.Pool
	Clock     clock.Clock
	Stages    *application.Stages
	Apps      *application.Store
	Ledger    *Ledger
	Passports *Register
	Numbers   NumberFormat // PASSPORT_NUMBER_FORMAT
	BookType  string       // PRINT_BOOK_TYPE; "" is DefaultBookType
	Lease     time.Duration
	// Validity is how many years a passport is valid, from the facts billing
	// priced it on (the wiring passes billing's rule, so the two never disagree).
	Validity func(birth, day time.Time, married bool) int
	Tokens   *auth.Tokens
	Pages    *frontend.Renderer
	Log      *slog.Logger
}

// Register hooks the print queue onto the stage machine: an application
// entering printing (its bill paid) gets its print job in that transaction.
func (s *Service) Register() {
	s.Stages.OnEnter(civil.StagePrinting, s.queue)
}

// BookTypeUsed is the book the office prints on (PRINT_BOOK_TYPE or the default).
func (s *Service) BookTypeUsed() string { return s.bookType() }

func (s *Service) bookType() string {
	if slices.Contains(BookTypes, s.BookType) {
		return s.BookType
	}
	return DefaultBookType
}

func (s *Service) lease() time.Duration {
	if s.Lease > 0 {
		return s.Lease
	}
	return DefaultLease
}

// queue allocates the passport number and queues the job. The validity is
// decided now, on the day the bill was paid, with billing's rule.
func (s *Service) queue(ctx context.Context, tx pgx.Tx, m application.Moved) error {
	day, err := officeDay(ctx, tx, m.Office, m.At)
	if err != nil {
		return err
	}
	years := 5
	if s.Validity != nil {
		years = s.Validity(m.BirthDate, day, false)
	}
	no, err := s.Numbers.allocate(ctx, tx)
	if err != nil {
		return err
	}
	id := uuid.Must(uuid.NewRandomFromReader(rand.Reader)).String()
	tag, err := tx.Exec(ctx, `INSERT INTO print_jobs (id, application_no, office, book_type, passport_no, validity_years, status, queued_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7) ON CONFLICT (application_no) DO NOTHING`,
		id, m.No, m.Office, s.bookType(), no, years, m.At)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return s.requeue(ctx, tx, m) // queued once already: printed, maybe sent back
	}
	return audit.Append(ctx, tx, audit.Entry{Office: m.Office, At: m.At, Actor: m.Actor.String(), Action: "print.queue",
		Subject: "application:" + m.No, Data: map[string]any{"job_id": id, "passport_no": no, "book_type": s.bookType(),
			"validity_years": years}})
}

// requeue puts the application's printed job back in the queue when the
// office head sends its data page back (validation → printing): the
// booklet printed → spoiled with the head's reason (the history keeps it
// whole), the passport out of the register since it was never issued, and
// the job queued again, first in line, for a new blank with the same
// passport number. A job not printed yet is left as it is.
func (s *Service) requeue(ctx context.Context, tx pgx.Tx, m application.Moved) error {
	var id, passportNo, serial string
	err := tx.QueryRow(ctx, `SELECT id, passport_no, serial FROM print_jobs WHERE application_no = $1 AND status = 'printed'
		FOR UPDATE`, m.No).Scan(&id, &passportNo, &serial)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	reason := m.Reason
	if r := []rune(reason); len(r) > MaxSpoilReason {
		reason = string(r[:MaxSpoilReason])
	}
	actor := m.Actor.String()
	if err := move(ctx, tx, serial, BlankSpoiled, m.No, passportNo, reason, actor, m.At); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM passports WHERE passport_no = $1 AND status = 'printed'`, passportNo); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE print_jobs SET status = 'queued', claimed_by = NULL, claimed_at = NULL, serial = NULL,
		done_at = NULL, spoiled = spoiled + 1 WHERE id = $1`, id); err != nil {
		return err
	}
	return audit.Append(ctx, tx, audit.Entry{Office: m.Office, At: m.At, Actor: actor, Action: "print.requeue",
		Subject: "application:" + m.No, Data: map[string]any{"job_id": id, "serial": serial, "passport_no": passportNo,
			"reason": m.Reason}})
}

// officeDay is the office's calendar day at t, as midnight UTC.
func officeDay(ctx context.Context, q Queryer, office string, t time.Time) (time.Time, error) {
	var tz string
	if err := q.QueryRow(ctx, `SELECT timezone FROM offices WHERE code = $1`, office).Scan(&tz); err != nil {
		return time.Time{}, fmt.Errorf("printing: office %s: %w", office, err)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.Time{}, err
	}
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC), nil
}
