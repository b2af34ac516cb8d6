// Package queue is the on-site queue: one number per application per office
// day, valid at every booth, First In First Served from the moment it is
// issued, six groups (prefixes A–F); booths, calls, kiosk check-in, the close
// of ended days and the office's running text. It owns the tables
// queue_tickets, queue_counters and booths. See call.go for how a booth
// picks the next ticket.
package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// Seats is the quota side the kiosk needs, working in the caller's
// transaction; cmd/sppt wires the quota package. Errors it returns are
// *httpx.Error for the applicant (nik_mismatch, wrong_office, …; quota.HTTPError).
type Seats interface {
	CheckIn(ctx context.Context, tx pgx.Tx, code, nik, office string, day, now time.Time) (CheckedInBooking, error)
	TakeWalkin(ctx context.Context, tx pgx.Tx, office string, day time.Time, priority bool, now time.Time) error
	// Today is the office-day's quota as the "quota" event carries it.
	Today(ctx context.Context, office string, day time.Time) (any, error)
}

// CheckedInBooking is a booking that has just been (or was already) checked in.
type CheckedInBooking struct {
	ID                 int64
	Service            string
	NIK, FullName, Sex string
	Phone              string
	BirthDate          time.Time
	AlreadyCheckedIn   bool
}

// Offices is the office side the queue needs: the running text lives on
// the office row, which the quota package owns. SetRunningText works in the
// caller's transaction and reports false for an unknown office.
type Offices interface {
	SetRunningText(ctx context.Context, tx pgx.Tx, office, text string) (bool, error)
}

// Service runs tickets, booths and officer queue actions.
type Service struct {
	Pool    *pgxpool.Pool
	Clock   clock.Clock
	Tokens  *auth.Tokens
	Seats   Seats
	Offices Offices
	Pages   *frontend.Renderer
	Log     *slog.Logger
	// Planning feeds the capacity plan (capacity.go); nil plans nothing.
	Planning Planning
	// Notifier sends "your turn is near" texts (near.go); nil sends none.
	Notifier Notifier

	near     chan string // offices to look at for near-turn texts (near.go)
	nearOnce sync.Once
	zones    sync.Map // office code → *time.Location
	turns    sync.Map // turnKey → turnEntry (wait.go)

	callMu  sync.Mutex     // guards calls and calling (queue_batch.go)
	calls   []*callRequest // calls waiting for the next group commit
	calling int            // goroutines committing groups
}

// Ticket is an issued queue number (the vocabulary's, so devices print the
// same type the queue issues).
type Ticket = civil.Ticket

// TicketCall is one call (or recall) of a ticket to a booth: the "call" event.
type TicketCall struct {
	Ticket   string    `json:"ticket"`
	Booth    int       `json:"booth"`
	Service  string    `json:"service"`
	CalledAt time.Time `json:"called_at"`
	Recall   bool      `json:"recall,omitempty"`
}

// ErrOffice is an office code that does not exist.
var ErrOffice = errors.New("queue: no such office")

// Location is the office's time zone, cached (zones do not change under a running process).
func (q *Service) Location(ctx context.Context, office string) (*time.Location, error) {
	if l, ok := q.zones.Load(office); ok {
		return l.(*time.Location), nil
	}
	var tz string
	err := q.Pool.QueryRow(ctx, `SELECT timezone FROM offices WHERE code = $1`, office).Scan(&tz)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrOffice
	}
	if err != nil {
		return nil, err
	}
	loc, err := civil.Zone(tz)
	if err != nil {
		return nil, fmt.Errorf("office %s: %w", office, err)
	}
	q.zones.Store(strings.Clone(office), loc) // the caller's string may point into a request buffer
	return loc, nil
}

// Day is the office's calendar day at now, as midnight UTC (how DATE columns scan).
func (q *Service) Day(ctx context.Context, office string, now time.Time) (time.Time, error) {
	loc, err := q.Location(ctx, office)
	if err != nil {
		return time.Time{}, err
	}
	return civil.Day(now, loc), nil
}

// nextNumber gives the next number of prefix for office-day inside tx
// (A001, A002, … A999, A1000): the counter row serialises issuers of one prefix.
func nextNumber(ctx context.Context, tx pgx.Tx, office string, day time.Time, prefix string) (string, error) {
	var n int
	err := tx.QueryRow(ctx, `INSERT INTO queue_counters (office, day, prefix, last) VALUES ($1, $2, $3, 1)
		ON CONFLICT (office, day, prefix) DO UPDATE SET last = queue_counters.last + 1 RETURNING last`,
		office, day, prefix).Scan(&n)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%03d", prefix, n), nil
}

// insertTicket inserts a waiting ticket numbered t.Number inside tx and
// counts who waits ahead of it among the tickets of its own service.
func insertTicket(ctx context.Context, tx pgx.Tx, t *Ticket, day time.Time, applicationID *int64) error {
	t.Date = civil.Date(day)
	err := tx.QueryRow(ctx, `INSERT INTO queue_tickets (office, day, number, service, application_id, walkin, issued_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		t.Office, day, t.Number, t.Service, applicationID, t.Walkin, t.IssuedAt).Scan(&t.ID)
	if err != nil {
		return err
	}
	return waitingAhead(ctx, tx, t, day)
}

// waitingAhead counts waiting tickets of t's service issued before it.
func waitingAhead(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, t *Ticket, day time.Time) error {
	return q.QueryRow(ctx, `SELECT count(*) FROM queue_tickets WHERE office = $1 AND day = $2 AND status = 'waiting'
		AND service = $3 AND (issued_at, id) < ($4, $5)`, t.Office, day, t.Service, t.IssuedAt, t.ID).Scan(&t.WaitingAhead)
}
