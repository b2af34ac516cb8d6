// Package validation is the pengesahan step of the One Stop Service
// pipeline: the office head (role validator) checks each printed data page
// (passport number, name, the two MRZ lines) and either approves it, which
// makes the passport ready for pickup, or sends it back to print again with
// the fault named. Entering ready sends the applicant the "ready for pickup"
// SMS (seed 7e) once. It owns no table: the data page is printing's, read
// through Passports; the SMS is the SMS service's, reached through Notifier.
package validation

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// Roles validate: the office head.
var Roles = []string{"validator"}

// DataPage is the printed data page as the validator checks it.
type DataPage struct {
	PassportNo string   `json:"passport_no"`
	Status     string   `json:"status"`
	ExpiresOn  string   `json:"expires_on"` // YYYY-MM-DD
	MRZ        []string `json:"mrz"`        // the two TD3 lines; empty until printing records them
}

// Passports is the passport register (backoffice/printing) as validation
// reads it; false when the register has no such passport.
type Passports interface {
	DataPage(ctx context.Context, passportNo string) (DataPage, bool, error)
}

// Notifier sends the "ready for pickup" SMS inside the move's transaction;
// the SMS service keys it on the application, so it goes once.
type Notifier interface {
	ReadyForPickup(ctx context.Context, tx pgx.Tx, applicationNo, phone, office string) error
}

// Service is the validation step.
type Service struct {
	Stages    *application.Stages
	Passports Passports
	Notifier  Notifier
	Pages     *frontend.Renderer
	Tokens    *auth.Tokens
}

// Register hooks the ready notice onto the stage machine.
func (s *Service) Register() { s.Stages.OnEnter(civil.StageReady, s.notifyReady) }

func (s *Service) notifyReady(ctx context.Context, tx pgx.Tx, m application.Moved) error {
	if m.Phone == "" {
		return nil // a walk-in without a phone is told at the counter
	}
	return s.Notifier.ReadyForPickup(ctx, tx, m.No, m.Phone, m.Office)
}

// Item is one application waiting for validation, with its data page.
type Item struct {
	ApplicationNo string    `json:"application_no"`
	FullName      string    `json:"full_name"`
	Service       string    `json:"service"`
	Since         time.Time `json:"since"`
	DataPage      *DataPage `json:"data_page"` // null when printing recorded none
}

// Limit bounds the inbox: a day's printing, not the archive.
const Limit = 200

// Inbox is the office's applications in validation, longest waiting first.
func (s *Service) Inbox(ctx context.Context, office string) ([]Item, error) {
	apps, err := s.Stages.InStage(ctx, office, civil.StageValidation, Limit)
	if err != nil {
		return nil, err
	}
	out := make([]Item, 0, len(apps))
	for _, a := range apps {
		it := Item{ApplicationNo: a.No, FullName: a.FullName, Service: a.Service, Since: a.UpdatedAt}
		if it.DataPage, err = s.dataPage(ctx, a.PassportNo); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

func (s *Service) dataPage(ctx context.Context, passportNo string) (*DataPage, error) {
	if passportNo == "" {
		return nil, nil
	}
	p, ok, err := s.Passports.DataPage(ctx, passportNo)
	if err != nil || !ok {
		return nil, err
	}
	return &p, nil
}

// ErrNoDataPage: nothing printed to validate (printing recorded no passport).
var ErrNoDataPage = errors.New("validation: no printed data page")

// Approve validates the data page: the application becomes ready, and the
// applicant is told by SMS in the same transaction.
func (s *Service) Approve(ctx context.Context, no string, actor application.Actor) (application.Moved, error) {
	var m application.Moved
	err := pgx.BeginFunc(ctx, s.Stages.Pool, func(tx pgx.Tx) error {
		var err error
		if m, err = s.Stages.MoveTx(ctx, tx, application.Request{No: no, To: civil.StageReady, Actor: actor}); err != nil {
			return err
		}
		p, err := s.dataPage(ctx, m.PassportNo)
		if err == nil && p == nil {
			err = ErrNoDataPage // the move is undone: nothing to vouch for
		}
		return err
	})
	return m, err
}

// Reprint sends the application back to printing with the fault found.
func (s *Service) Reprint(ctx context.Context, no string, actor application.Actor, reason string) (application.Moved, error) {
	return s.Stages.Move(ctx, application.Request{No: no, To: civil.StagePrinting, Actor: actor, Reason: reason})
}

// HTTPError maps the step's errors (then the machine's) to the contract's.
func HTTPError(err error) error {
	if errors.Is(err, ErrNoDataPage) {
		return httpx.New(http.StatusConflict, "no_data_page")
	}
	return application.HTTPError(err)
}
