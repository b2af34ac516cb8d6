package intake

import (
	"context"
	"errors"
	"net/http"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// ErrNoTicket is a booth that serves no ticket now.
var ErrNoTicket = errors.New("intake: the booth is serving no ticket")

// TakeIn takes the applicant of the booth's called ticket in at the desk
// (queued → desk) and returns the application number. A booked applicant's
// application was born at check-in; a walk-in's is born here, from the data
// the officer typed (walkin), and gets its number now — office, day and
// queue number, as check-in numbers them. Taking in twice is harmless.
func (s *Service) TakeIn(ctx context.Context, actor application.Actor, booth int, walkin *EnrolmentInput) (string, error) {
	t, err := s.Tickets.AtBooth(ctx, actor.Office, booth)
	if err != nil {
		return "", err
	}
	if t.Service == civil.ServicePickup {
		return "", httpx.New(http.StatusConflict, "intake_pickup_ticket", "ticket", t.Number)
	}
	if t.ApplicationNo != "" {
		return t.ApplicationNo, s.enterDesk(ctx, actor, t.ApplicationNo)
	}
	if walkin == nil {
		return "", httpx.Invalid().Field("nik", "intake.field.walkin_data")
	}
	bad := httpx.Invalid()
	e := walkin.Enrolment(bad)
	if bad.HasFields() {
		return "", bad
	}
	no := application.No(actor.Office, t.Day, t.Number)
	now := s.Clock.Now()
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		id, err := application.Create(ctx, tx, application.New{No: no, Office: actor.Office, Service: t.Service, NIK: e.NIK,
			FullName: e.FullName, BirthDate: e.BirthDate, Sex: e.Sex, Phone: e.Phone, Actor: actor.String()}, now)
		if err != nil {
			return err
		}
		if ok, err := s.Tickets.Attach(ctx, tx, t.ID, id); err != nil {
			return err
		} else if !ok {
			return httpx.New(http.StatusConflict, "intake_taken_in", "ticket", t.Number)
		}
		_, err = s.Stages.MoveTx(ctx, tx, application.Request{No: no, To: civil.StageDesk, Actor: actor})
		return err
	})
	return no, err
}

// enterDesk moves a checked-in application to the desk; one already there
// is left as it is.
func (s *Service) enterDesk(ctx context.Context, actor application.Actor, no string) error {
	a, err := s.Apps.InOffice(ctx, actor.Office, no)
	if err != nil {
		return err
	}
	if a.Stage == civil.StageDesk {
		return nil
	}
	_, err = s.Stages.Move(ctx, application.Request{No: no, To: civil.StageDesk, Actor: actor})
	return err
}

// Register hooks the desk into the stage machine: entering the desk opens
// its record (whoever made the move), and leaving it for the captures runs
// the intake checks, so no move around the desk screen skips them.
func (s *Service) Register() {
	s.Stages.OnEnter(civil.StageDesk, s.openRecord)
	s.Stages.OnLeave(civil.StageDesk, s.guardLeave)
}

func (s *Service) openRecord(ctx context.Context, tx pgx.Tx, m application.Moved) error {
	_, err := tx.Exec(ctx, `INSERT INTO intake_records (application_no, office, taken_in_at, taken_in_by, walkin, updated_at)
		VALUES ($1, $2, $3, $4, $5, $3) ON CONFLICT (application_no) DO NOTHING`,
		m.No, m.Office, m.At, m.Actor.String(), m.BookingID == 0)
	return err
}
