// Package intake is the One Stop Service desk: from a called ticket, one
// screen for one applicant — the document checklist of the service, the
// enrolment data confirmed against the documents, the interview notes, the
// document scans — then the checks that must come before anyone pays (an
// existing valid passport, the watchlist, a lost passport) and the hand-over
// to the captures, with a printed receipt stating the ready date.
//
// It owns the tables intake_records and intake_scans. Other domains are
// reached through the small interfaces below, wired in cmd/sppt/app.
package intake

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/sealed"
)

// Roles may work the desk.
var Roles = []string{"desk"}

// ReadyWorkingDays is the service promise: ready within 3 working days.
const ReadyWorkingDays = 3

// Ticket is the ticket a booth is serving (queue's DeskTicket, copied).
type Ticket struct {
	ID            int64
	Number        string
	Service       string
	Day           time.Time
	Walkin        bool
	ApplicationNo string
}

// Tickets is the queue side of the desk.
type Tickets interface {
	// AtBooth is the booth's called ticket; ErrNoTicket when none.
	AtBooth(ctx context.Context, office string, booth int) (Ticket, error)
	// Attach links a walk-in's ticket to its new application in tx; false
	// when it already has one.
	Attach(ctx context.Context, tx pgx.Tx, ticketID, applicationID int64) (bool, error)
}

// Passport is a passport the register holds for a NIK.
type Passport struct {
	No        string
	ExpiresOn time.Time
}

// Passports is the passport register (printing).
type Passports interface {
	ValidFor(ctx context.Context, nik string, day time.Time) (Passport, bool, error)
}

// WatchQuery is the applicant the watchlist is asked about.
type WatchQuery struct {
	NIK, FullName string
	BirthDate, On time.Time
}

// WatchHit is one watchlist entry the applicant matched.
type WatchHit struct {
	EntryID int64
	Kind    string
	Score   float64
	ByNIK   bool
}

// Watchlist is the cekal check (backoffice/watchlist).
type Watchlist interface {
	Check(ctx context.Context, q WatchQuery) ([]WatchHit, error)
}

// Calendar is the office calendar (quota): its zone and working days.
type Calendar interface {
	Location(ctx context.Context, office string) (*time.Location, error)
	AddWorkingDays(ctx context.Context, office string, from time.Time, n int) (time.Time, error)
}

// Service is the desk.
type Service struct {
	Pool      *pgxpool.Pool
	Clock     clock.Clock
	Stages    *application.Stages
	Apps      *application.Store
	Tickets   Tickets
	Passports Passports
	Watchlist Watchlist
	Calendar  Calendar
	Cases     Cases       // nil: findings stay in the history's reason only
	Box       *sealed.Box // nil: scans refused with 503
	Tokens    *auth.Tokens
	Pages     *frontend.Renderer
	Log       *slog.Logger
}

// MenuPage is the desk's entry in the officers' menu.
var MenuPage = frontend.OfficerPage{Path: "/backoffice/desk", LabelKey: "intake.nav.desk", Roles: Roles}

// Day is the office's calendar day at t, as midnight UTC.
func (s *Service) day(ctx context.Context, office string, t time.Time) (time.Time, error) {
	loc, err := s.Calendar.Location(ctx, office)
	if err != nil {
		return time.Time{}, err
	}
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC), nil
}
