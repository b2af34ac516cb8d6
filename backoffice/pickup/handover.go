package pickup

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// Handover is one recorded handover.
type Handover struct {
	ApplicationNo  string    `json:"application_no"`
	Stage          string    `json:"stage"`
	PassportNo     string    `json:"passport_no"`
	PreviousNo     string    `json:"previous_passport_no,omitempty"`
	PreviousStatus string    `json:"previous_status,omitempty"` // cancelled or lost
	Recipient      string    `json:"recipient"`                 // "applicant"
	Score          float64   `json:"score"`
	At             time.Time `json:"at"`
}

// Refusals of a handover.
var (
	// ErrNoCheck: no face check of the collector in the last CheckValidity.
	ErrNoCheck = errors.New("pickup: no recent face check")
	// ErrNoPassport: printing recorded no passport for the application.
	ErrNoPassport = errors.New("pickup: no printed passport")
)

// MismatchError is a handover refused because the collector's face does
// not match the enrolled one.
type MismatchError struct{ Score float64 }

func (e *MismatchError) Error() string {
	return fmt.Sprintf("pickup: face does not match (score %.2f)", e.Score)
}

// HandOver hands the passport of application no to its applicant, on the
// strength of the newest face check. Everything happens in one transaction
// or not at all. A non-matching face is refused (audited); there is no
// override at the counter: a collector who is not the applicant is seed
// case #2 (failed verification), decided by a supervisor through a BAP.
func (s *Service) HandOver(ctx context.Context, no string, actor application.Actor) (Handover, error) {
	a, err := s.Apps.InOffice(ctx, actor.Office, no)
	if err != nil {
		return Handover{}, err
	}
	check, ok, err := s.LastCheck(ctx, s.Pool, a.Office, a.No)
	switch {
	case err != nil:
		return Handover{}, err
	case !ok && a.Stage == civil.StageReady:
		return Handover{}, ErrNoCheck
	case ok && !check.Match && a.Stage == civil.StageReady:
		return Handover{}, s.refuse(ctx, a, actor, check)
	}
	var h Handover
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		m, err := s.Stages.MoveTx(ctx, tx, application.Request{No: a.No, To: civil.StagePickedUp, Actor: actor})
		if err != nil {
			return err
		}
		h, err = s.record(ctx, tx, m, actor, check)
		return err
	})
	return h, err
}

// record makes the passports' changes and writes the handover row.
func (s *Service) record(ctx context.Context, tx pgx.Tx, m application.Moved, actor application.Actor, c Check) (Handover, error) {
	if m.PassportNo == "" {
		return Handover{}, ErrNoPassport
	}
	h := Handover{ApplicationNo: m.No, Stage: string(m.Stage), PassportNo: m.PassportNo, Recipient: "applicant",
		Score: c.Score, At: m.At}
	if err := s.Passports.SetStatus(ctx, tx, m.PassportNo, PassportValid, "handed over: "+m.No, m.At); err != nil {
		return h, err
	}
	prior, err := s.Priors.Prior(ctx, m.Application)
	if err != nil {
		return h, err
	}
	if prior.PassportNo != "" && prior.PassportNo != m.PassportNo {
		h.PreviousNo, h.PreviousStatus = prior.PassportNo, PassportCancelled
		reason := "replaced by " + m.PassportNo
		if prior.Lost {
			h.PreviousStatus, reason = PassportLost, "reported lost; replaced by "+m.PassportNo
		}
		if err := s.Passports.SetStatus(ctx, tx, prior.PassportNo, h.PreviousStatus, reason, m.At); err != nil {
			return h, fmt.Errorf("previous passport: %w", err)
		}
	}
	_, err = tx.Exec(ctx, `INSERT INTO pickup_handovers (application_no, office, officer, recipient, passport_no,
		previous_no, previous_status, check_id, score, at) VALUES ($1, $2, $3, $4, $5, nullif($6, ''), nullif($7, ''), $8, $9, $10)`,
		m.No, m.Office, actor.String(), h.Recipient, h.PassportNo, h.PreviousNo, h.PreviousStatus, c.ID, c.Score, m.At)
	if err != nil {
		return h, err
	}
	return h, audit.Append(ctx, tx, audit.Entry{Office: m.Office, At: m.At, Actor: actor.String(), Action: "pickup.handover",
		Subject: "application:" + m.No, Data: map[string]any{"passport_no": h.PassportNo, "previous_no": h.PreviousNo,
			"previous_status": h.PreviousStatus, "check_id": c.ID, "score": c.Score}})
}

// refuse audits a handover refused for a non-matching face and returns why.
func (s *Service) refuse(ctx context.Context, a application.Application, actor application.Actor, c Check) error {
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		return audit.Append(ctx, tx, audit.Entry{Office: a.Office, At: s.Clock.Now(), Actor: actor.String(),
			Action: "pickup.refused", Subject: "application:" + a.No, Data: map[string]any{"check_id": c.ID, "score": c.Score}})
	})
	if err != nil {
		return err
	}
	return &MismatchError{Score: c.Score}
}

// HandoverOf is the handover recorded for application no in office.
func (s *Service) HandoverOf(ctx context.Context, office, no string) (Handover, error) {
	h := Handover{ApplicationNo: no, Stage: string(civil.StagePickedUp)}
	var prevNo, prevStatus *string
	err := s.Pool.QueryRow(ctx, `SELECT passport_no, previous_no, previous_status, recipient, score, at
		FROM pickup_handovers WHERE application_no = $1 AND office = $2`, no, office).
		Scan(&h.PassportNo, &prevNo, &prevStatus, &h.Recipient, &h.Score, &h.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return h, application.ErrNotFound
	}
	if prevNo != nil {
		h.PreviousNo, h.PreviousStatus = *prevNo, *prevStatus
	}
	return h, err
}

// HTTPError maps the step's refusals (then the machine's) to the contract's.
func (s *Service) HTTPError(err error) error {
	var mm *MismatchError
	switch {
	case errors.As(err, &mm):
		return httpx.New(http.StatusConflict, "face_mismatch", "score", fmt.Sprintf("%.2f", mm.Score),
			"threshold", fmt.Sprintf("%.2f", s.Threshold)).With("score", mm.Score)
	case errors.Is(err, ErrNoCheck):
		return httpx.New(http.StatusConflict, "face_check_required", "minutes", int(CheckValidity/time.Minute))
	case errors.Is(err, ErrNoPassport):
		return httpx.New(http.StatusConflict, "no_printed_passport")
	}
	return application.HTTPError(err)
}
