// Package exception is the BAP step of the One Stop Service pipeline: every
// hold an application is put on (application.Stages to on_hold) opens a
// case; the supervisor (Wasdakim) examines the applicant and writes the BAP
// (Berita Acara Pemeriksaan); for a watchlist hit the office head
// (validator) recommends and the regional head decides, for every other
// case the supervisor decides. The decision moves the application out of
// on_hold through the stage machine in the same transaction as the case's
// record and its audit entry. It owns the table exception_cases.
package exception

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// Roles: who writes the BAP, who recommends (watchlist), who may decide
// (the case says which of the two), and who opens the case pages.
var (
	WriterRoles    = []string{"supervisor"}
	RecommendRoles = []string{"validator"}
	DeciderRoles   = []string{"supervisor", "regional_head"}
	PageRoles      = []string{"supervisor", "validator", "regional_head"}
)

// Outcomes a decision may lead to: back to the adjudicator, approved (to
// billing), or rejected (the applicant is told the reason by SMS).
var Outcomes = []civil.Stage{civil.StageAdjudication, civil.StageBilling, civil.StageRejected}

// Service is the BAP step.
type Service struct {
	Pool   *pgxpool.Pool
	Clock  clock.Clock
	Stages *application.Stages
	Apps   *application.Store
	Tokens *auth.Tokens
	Pages  *frontend.Renderer
	// Zone is an office's time zone (dates on the BAP read as the office's).
	Zone func(ctx context.Context, office string) (*time.Location, error)
}

// Register hooks the cases onto the stage machine: entering on_hold opens
// a case, leaving it another way than a decision (a cancellation) closes it.
func (s *Service) Register() {
	s.Stages.OnEnter(civil.StageOnHold, s.open)
	s.Stages.OnLeave(civil.StageOnHold, s.closeUndecided)
}

func (s *Service) open(ctx context.Context, tx pgx.Tx, m application.Moved) error {
	_, err := tx.Exec(ctx, `INSERT INTO exception_cases (application_id, office, kind, decider_role, opened_at, opened_by, opened_reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, m.ID, m.Office, m.Hold, application.HoldRole(m.Hold), m.At, m.Actor.String(), m.Reason)
	return err
}

// closeUndecided records a hold that ended without a decision (the
// decision itself writes its case before it moves).
func (s *Service) closeUndecided(ctx context.Context, tx pgx.Tx, m application.Moved) error {
	_, err := tx.Exec(ctx, `UPDATE exception_cases SET outcome = 'cancelled', outcome_reason = $2, decided_by = $3, decided_at = $4
		WHERE application_id = $1 AND decided_at IS NULL`, m.ID, m.Reason, m.Actor.String(), m.At)
	return err
}

// Finding is what the check that opened the hold found: references and
// scores, never biometric data.
type Finding struct {
	Source           string  `json:"source"`                       // "watchlist", "abis", "desk"
	WatchlistEntryID int64   `json:"watchlist_entry_id,omitempty"` // watchlist hit
	EntryKind        string  `json:"entry_kind,omitempty"`         // travel_ban, entry_ban, wanted
	Authority        string  `json:"authority,omitempty"`
	ByNIK            bool    `json:"by_nik,omitempty"`
	Subject          string  `json:"subject,omitempty"`           // duplicate: the other identity's subject id
	OtherApplication string  `json:"other_application,omitempty"` // another application of it, when known
	PassportNo       string  `json:"passport_no,omitempty"`       // existing passport
	Score            float64 `json:"score,omitempty"`
}

// ErrNoCase is an application with no open case.
var ErrNoCase = errors.New("exception: no open case")

// Found records f on the application's open case, inside the transaction
// that opened the hold (the checks call it through the wiring).
func (s *Service) Found(ctx context.Context, tx pgx.Tx, no string, f Finding) error {
	raw, err := json.Marshal(f)
	if err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `UPDATE exception_cases c SET finding = $2 FROM applications a
		WHERE a.id = c.application_id AND a.application_no = $1 AND c.decided_at IS NULL`, no, raw)
	if err == nil && tag.RowsAffected() == 0 {
		return ErrNoCase
	}
	return err
}
