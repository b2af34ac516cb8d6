// Package sla keeps the service promise: an application is ready within 3
// working days of its intake (the move into desk), counted in the office's
// calendar (weekends, national holidays, collective leave, the office's own
// closures). It owns sla_items: the due day is fixed at intake and stored, a
// sweep flags the open ones at risk or late, and the office head's dashboard
// counts them. It moves no application.
package sla

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// WorkingDays is the promise: ready this many working days after intake.
const WorkingDays = 3

// Calendar is the office's working-day arithmetic (quota's calendar).
type Calendar interface {
	// AddWorkingDays is the calendar day n working days after from's day.
	AddWorkingDays(ctx context.Context, office string, from time.Time, n int) (time.Time, error)
	// AddWorkingDaysTx is AddWorkingDays read through tx.
	AddWorkingDaysTx(ctx context.Context, tx pgx.Tx, office string, from time.Time, n int) (time.Time, error)
	// WorkingDaysBetween counts the working days after from's day up to to's.
	WorkingDaysBetween(ctx context.Context, office string, from, to time.Time) (int, error)
}

// States of an item.
const (
	OnTime = "on_time"
	AtRisk = "at_risk"
	Late   = "late"
	Met    = "met"
	Missed = "missed"
	Closed = "closed"
)

// Service is the SLA: hooks, sweep, reads and the dashboard.
type Service struct {
	Pool     *pgxpool.Pool
	Clock    clock.Clock
	Calendar Calendar
	// Zone is an office's time zone (the office day a move falls on).
	Zone   func(ctx context.Context, office string) (*time.Location, error)
	Apps   *application.Store
	Pages  *frontend.Renderer
	Tokens *auth.Tokens
	Log    *slog.Logger
}

// Register hooks the SLA to the stage machine: intake opens an item, ready
// settles it, a rejection or cancellation closes it.
func (s *Service) Register(st *application.Stages) {
	st.OnEnter(civil.StageDesk, s.intake)
	st.OnEnter(civil.StageReady, s.ready)
	st.OnEnter(civil.StageRejected, s.closed)
	st.OnEnter(civil.StageCancelled, s.closed)
}

// Due is the day the promise falls due for an intake at the instant at.
func (s *Service) Due(ctx context.Context, office string, at time.Time) (time.Time, error) {
	d, err := s.Calendar.AddWorkingDays(ctx, office, at, WorkingDays)
	if err != nil {
		return time.Time{}, fmt.Errorf("sla due day: %w", err)
	}
	return d, nil
}

func (s *Service) intake(ctx context.Context, tx pgx.Tx, m application.Moved) error {
	// Through the move's transaction: it holds the office's audit head, and a
	// second pool connection may not come while every other one waits on it.
	due, err := s.Calendar.AddWorkingDaysTx(ctx, tx, m.Office, m.At, WorkingDays)
	if err != nil {
		return fmt.Errorf("sla due day: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO sla_items (application_no, office, service, intake_at, due_on)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (application_no) DO NOTHING`, m.No, m.Office, m.Service, m.At, due)
	return err
}

// ready settles the item: met when ready on or before the due day, in the
// office's own calendar day.
func (s *Service) ready(ctx context.Context, tx pgx.Tx, m application.Moved) error {
	loc, err := s.Zone(ctx, m.Office)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE sla_items SET done_at = $2,
			state = CASE WHEN $3::date <= due_on THEN 'met' ELSE 'missed' END
		WHERE application_no = $1 AND done_at IS NULL`, m.No, m.At, civil.Day(m.At, loc))
	return err
}

func (s *Service) closed(ctx context.Context, tx pgx.Tx, m application.Moved) error {
	_, err := tx.Exec(ctx, `UPDATE sla_items SET done_at = $2, state = 'closed'
		WHERE application_no = $1 AND done_at IS NULL`, m.No, m.At)
	return err
}
