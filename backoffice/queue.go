package backoffice

// The on-site queue: one number per application per office day, valid at
// every booth, First In First Served from the moment it is issued, six groups
// (prefixes A–F). See queue_call.go for how a booth picks the next ticket.

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
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
)

// QueueServices in display order, and their ticket prefixes (CONTRACT.md).
var (
	QueueServices = []string{"new", "renewal", "replacement", "priority", "pickup", "data_change"}
	TicketPrefix  = map[string]string{"new": "A", "renewal": "B", "replacement": "C", "priority": "D", "pickup": "E", "data_change": "F"}
	// OSSBoothServices are what a default One Stop Service booth calls; PickupBoothServices a pickup counter.
	OSSBoothServices    = []string{"new", "renewal", "replacement", "priority", "data_change"}
	PickupBoothServices = []string{"pickup"}
)

// QueueSeats is the quota side the kiosk needs, working in the caller's
// transaction; cmd/sppt wires the quota package. Errors it returns are
// *httpx.Error for the applicant (nik_mismatch, wrong_office, …).
type QueueSeats interface {
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

// Queue runs tickets, booths and officer queue actions.
type Queue struct {
	Pool   *pgxpool.Pool
	Clock  clock.Clock
	Tokens *auth.Tokens
	Seats  QueueSeats
	Pages  *frontend.Renderer
	Log    *slog.Logger

	zones sync.Map // office code → *time.Location

	callMu  sync.Mutex     // guards calls and calling (queue_batch.go)
	calls   []*callRequest // calls waiting for the next group commit
	calling int            // goroutines committing groups
}

// Ticket is an issued queue number.
type Ticket struct {
	ID            int64     `json:"-"`
	Number        string    `json:"ticket"`
	Service       string    `json:"service"`
	Office        string    `json:"office"`
	Date          string    `json:"date"`
	IssuedAt      time.Time `json:"issued_at"`
	WaitingAhead  int       `json:"waiting_ahead"`
	ApplicationNo string    `json:"application_no,omitempty"`
	Walkin        bool      `json:"walkin"`
}

// TicketCall is one call (or recall) of a ticket to a booth: the "call" event.
type TicketCall struct {
	Ticket   string    `json:"ticket"`
	Booth    int       `json:"booth"`
	Service  string    `json:"service"`
	CalledAt time.Time `json:"called_at"`
	Recall   bool      `json:"recall,omitempty"`
}

// ErrQueueOffice is an office code that does not exist.
var ErrQueueOffice = httpx.New(404, "queue_office_not_found")

// Location is the office's time zone, cached (zones do not change under a running process).
func (q *Queue) Location(ctx context.Context, office string) (*time.Location, error) {
	if l, ok := q.zones.Load(office); ok {
		return l.(*time.Location), nil
	}
	var tz string
	err := q.Pool.QueryRow(ctx, `SELECT timezone FROM offices WHERE code = $1`, office).Scan(&tz)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrQueueOffice
	}
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("office %s: %w", office, err)
	}
	q.zones.Store(strings.Clone(office), loc) // the caller's string may point into a request buffer
	return loc, nil
}

// Day is the office's calendar day at now, as midnight UTC (how DATE columns scan).
func (q *Queue) Day(ctx context.Context, office string, now time.Time) (time.Time, error) {
	loc, err := q.Location(ctx, office)
	if err != nil {
		return time.Time{}, err
	}
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
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
	t.Date = day.Format(time.DateOnly)
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
