package application

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/events"
)

// Actor is who makes a move. An officer carries roles and an office (or, a
// regional head, a region); a device its office; payment and the system act
// for whatever office the application is in.
type Actor struct {
	Kind   string // KindOfficer, KindDevice, KindPayment, KindSystem, KindCitizen
	ID     string // officer id, device id, or payment's own actor ("bank", "officer:7")
	Office string
	Region string
	Roles  []string
}

// String is how history and audit name the actor.
func (a Actor) String() string {
	switch a.Kind {
	case KindPayment:
		return a.ID
	case KindSystem:
		return KindSystem
	}
	return a.Kind + ":" + a.ID
}

// Request is one move of one application.
type Request struct {
	No     string
	To     civil.Stage
	Actor  Actor
	Reason string
	Hold   string // entering on_hold: the case kind (HoldKinds)
	Clean  bool   // a device or the system asserts the checks came back clean
}

// MaxReason bounds a reason (the history column's limit).
const MaxReason = 500

// Moved is a committed-with-the-transaction move, handed to hooks.
type Moved struct {
	Application
	From   civil.Stage
	Actor  Actor
	Reason string
	Hold   string
	Clean  bool
	At     time.Time
}

// Hook reacts to a move inside its transaction; an error undoes the move.
type Hook func(ctx context.Context, tx pgx.Tx, m Moved) error

// Stages moves applications: the machine's table, its hooks and its writes.
type Stages struct {
	Pool  *pgxpool.Pool
	Clock clock.Clock
	enter map[civil.Stage][]Hook
	leave map[civil.Stage][]Hook
}

// OnEnter registers a hook run when an application enters stage s. Hooks
// are registered while wiring, before any move.
func (s *Stages) OnEnter(st civil.Stage, h Hook) {
	if s.enter == nil {
		s.enter = map[civil.Stage][]Hook{}
	}
	s.enter[st] = append(s.enter[st], h)
}

// OnLeave registers a hook run when an application leaves stage s.
func (s *Stages) OnLeave(st civil.Stage, h Hook) {
	if s.leave == nil {
		s.leave = map[civil.Stage][]Hook{}
	}
	s.leave[st] = append(s.leave[st], h)
}

// Move makes one move in its own transaction.
func (s *Stages) Move(ctx context.Context, r Request) (Moved, error) {
	var m Moved
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		m, err = s.MoveTx(ctx, tx, r)
		return err
	})
	return m, err
}

// MoveTx makes one move inside the caller's transaction: the row locked,
// the actor's scope, role and guards checked, the stage written with its
// history row, audit entry and live event, then the leave and enter hooks.
func (s *Stages) MoveTx(ctx context.Context, tx pgx.Tx, r Request) (Moved, error) {
	a, hold, err := lockScoped(ctx, tx, r.No, r.Actor)
	if err != nil {
		return Moved{}, err
	}
	t, ok := Find(a.Stage, r.To)
	if !r.To.Valid() || !ok {
		return Moved{}, &TransitionError{From: a.Stage, To: r.To}
	}
	if !t.Allows(r.Actor) {
		return Moved{}, ErrForbidden
	}
	r.Reason = strings.TrimSpace(r.Reason)
	if err := checkGuards(t, r, hold); err != nil {
		return Moved{}, err
	}
	m := Moved{Application: a, From: a.Stage, Actor: r.Actor, Reason: r.Reason, Hold: r.Hold, Clean: r.Clean, At: s.Clock.Now()}
	m.Stage = r.To
	m.UpdatedAt = m.At
	if err := write(ctx, tx, m); err != nil {
		return Moved{}, err
	}
	for _, h := range slices.Concat(s.leave[m.From], s.enter[m.Stage]) {
		if err := h(ctx, tx, m); err != nil {
			return Moved{}, err
		}
	}
	return m, nil
}

// lockScoped locks the application for the move. An application outside the
// actor's office (or region) is ErrNotFound: an officer cannot learn that
// another office's number exists.
func lockScoped(ctx context.Context, tx pgx.Tx, no string, who Actor) (Application, string, error) {
	var a Application
	var phone *string
	var holdRole string
	err := tx.QueryRow(ctx, `SELECT a.id, a.application_no, a.office, coalesce(a.booking_id, 0), a.service, a.nik, a.full_name,
			a.sex, a.phone, a.birth_date, a.stage, coalesce(a.passport_no, ''), coalesce(a.hold_role, ''), a.created_at, a.updated_at
		FROM applications a JOIN offices o ON o.code = a.office
		WHERE a.application_no = $1 AND ($2 = '' OR a.office = $2) AND ($3 = '' OR o.region = $3)
		FOR UPDATE OF a`, no, who.Office, who.Region).
		Scan(&a.ID, &a.No, &a.Office, &a.BookingID, &a.Service, &a.NIK, &a.FullName, &a.Sex, &phone, &a.BirthDate,
			&a.Stage, &a.PassportNo, &holdRole, &a.CreatedAt, &a.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, "", ErrNotFound
	}
	if phone != nil {
		a.Phone = *phone
	}
	return a, holdRole, err
}

// checkGuards applies t's guards; hold is the role the open hold recorded.
func checkGuards(t Transition, r Request, holdRole string) error {
	bad := &InputError{}
	for _, g := range t.Guards {
		switch g {
		case GuardReason:
			if r.Reason == "" {
				bad.add("reason", "required")
			} else if utf8.RuneCountInString(r.Reason) > MaxReason {
				bad.add("reason", "too_long")
			}
		case GuardHold:
			if !slices.Contains(HoldKinds, r.Hold) {
				bad.add("hold", "hold_kind")
			}
		case GuardHoldRole:
			if r.Actor.Kind != KindOfficer || !slices.Contains(r.Actor.Roles, holdRole) {
				return ErrForbidden
			}
		case GuardClean:
			if r.Actor.Kind != KindOfficer && !r.Clean {
				return &TransitionError{From: t.From, To: t.To, NotClean: true}
			}
		default:
			return fmt.Errorf("application: unknown guard %q", g)
		}
	}
	if len(bad.Fields) > 0 {
		return bad
	}
	return nil
}

// write stores the move: the stage (and the hold it opens or closes), the
// history row, the audit entry and the live event.
func write(ctx context.Context, tx pgx.Tx, m Moved) error {
	var kind, role *string
	if m.Stage == civil.StageOnHold {
		k, r := m.Hold, HoldRole(m.Hold)
		kind, role = &k, &r
	}
	if _, err := tx.Exec(ctx, `UPDATE applications SET stage = $2, updated_at = $3, hold_kind = $4, hold_role = $5
		WHERE id = $1`, m.ID, m.Stage, m.At, kind, role); err != nil {
		return err
	}
	if err := history(ctx, tx, m.ID, m.From, m.Stage, m.At, m.Actor.String(), m.Reason); err != nil {
		return err
	}
	data := map[string]any{"from": m.From, "to": m.Stage}
	if m.Reason != "" {
		data["reason"] = m.Reason
	}
	if m.Hold != "" && m.Stage == civil.StageOnHold {
		data["hold"] = m.Hold
	}
	if err := audit.Append(ctx, tx, audit.Entry{Office: m.Office, At: m.At, Actor: m.Actor.String(),
		Action: "application.move", Subject: "application:" + m.No, Data: data}); err != nil {
		return err
	}
	return events.Publish(ctx, tx, m.Office, EventType, Event{ApplicationNo: m.No, From: m.From, Stage: m.Stage}, m.At)
}

// EventType is the live event of a move, on the office's channel.
const EventType = "application"

// Event is a move as the live feed carries it (no personal data).
type Event struct {
	ApplicationNo string      `json:"application_no"`
	From          civil.Stage `json:"from"`
	Stage         civil.Stage `json:"stage"`
}

func history(ctx context.Context, tx pgx.Tx, id int64, from, to civil.Stage, at time.Time, actor, reason string) error {
	var f *civil.Stage
	if from != "" {
		f = &from
	}
	_, err := tx.Exec(ctx, `INSERT INTO application_history (application_id, from_stage, to_stage, at, actor, reason)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, f, to, at, actor, reason)
	return err
}
