// Package adjudication is the decision step of the One Stop Service
// pipeline: the office's inbox of applications in `adjudication`, the
// adjudicator's approve / reject / escalate (each with who and why, in the
// application's history), and the office's setting that approves clean
// applications without waiting for an adjudicator. It owns the table
// adjudication_settings and moves applications only through
// backoffice/application.
package adjudication

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// Roles decide; SettingRoles set the office's auto-approval (the office head).
var (
	Roles        = []string{"adjudicator"}
	SettingRoles = []string{"validator", "admin"}
)

// AutoReason is the history's reason for an automatic approval.
const AutoReason = "auto-approved: every check clean (office setting)"

// Service is the adjudication step.
type Service struct {
	Pool   *pgxpool.Pool
	Clock  clock.Clock
	Stages *application.Stages
	Tokens *auth.Tokens
}

// Register hooks the auto-approval onto the stage machine: an application
// entering adjudication with clean checks, in an office that turned the
// setting on, moves straight on to billing in the same transaction.
func (s *Service) Register() {
	s.Stages.OnEnter(civil.StageAdjudication, s.autoApprove)
}

func (s *Service) autoApprove(ctx context.Context, tx pgx.Tx, m application.Moved) error {
	if !m.Clean || m.From != civil.StageBiometric {
		return nil
	}
	on, err := AutoApprove(ctx, tx, m.Office)
	if err != nil || !on {
		return err
	}
	_, err = s.Stages.MoveTx(ctx, tx, application.Request{No: m.No, To: civil.StageBilling,
		Actor: application.Actor{Kind: application.KindSystem}, Reason: AutoReason, Clean: true})
	return err
}

// Querier is a pool or a transaction.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// AutoApprove reports the office's setting (off when never set).
func AutoApprove(ctx context.Context, q Querier, office string) (bool, error) {
	var on bool
	err := q.QueryRow(ctx, `SELECT auto_approve FROM adjudication_settings WHERE office = $1`, office).Scan(&on)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return on, err
}

// SetAutoApprove records the office's setting with its audit entry.
func (s *Service) SetAutoApprove(ctx context.Context, office string, on bool, actor string) error {
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		now := s.Clock.Now()
		if _, err := tx.Exec(ctx, `INSERT INTO adjudication_settings (office, auto_approve, updated_at, updated_by)
			VALUES ($1, $2, $3, $4) ON CONFLICT (office) DO UPDATE SET auto_approve = $2, updated_at = $3, updated_by = $4`,
			office, on, now, actor); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "adjudication.auto_approve",
			Subject: "office:" + office, Data: map[string]any{"auto_approve": on}})
	})
}

// Decision is what an adjudicator decides.
type Decision string

// The decisions and the stage each leads to.
const (
	Approve  Decision = "approve"
	Reject   Decision = "reject"
	Escalate Decision = "escalate"
)

var decisionStage = map[Decision]civil.Stage{Approve: civil.StageBilling, Reject: civil.StageRejected, Escalate: civil.StageOnHold}

// Decide moves the application as decided; the stage machine checks the
// role, the office and the reason (required to reject or escalate).
func (s *Service) Decide(ctx context.Context, no string, d Decision, who application.Actor, reason string) (application.Moved, error) {
	r := application.Request{No: no, To: decisionStage[d], Actor: who, Reason: reason}
	if d == Escalate {
		r.Hold = application.HoldEscalated
	}
	return s.Stages.Move(ctx, r)
}

// InboxItem is one application waiting for a decision.
type InboxItem struct {
	No      string    `json:"application_no"`
	Service string    `json:"service"`
	Since   time.Time `json:"since"` // when it entered adjudication
}

// InboxLimit bounds one inbox answer.
const InboxLimit = 200

// Inbox is the office's applications awaiting a decision, oldest first.
func (s *Service) Inbox(ctx context.Context, office string) ([]InboxItem, error) {
	apps, err := s.Stages.InStage(ctx, office, civil.StageAdjudication, InboxLimit)
	out := make([]InboxItem, len(apps))
	for i, a := range apps {
		out[i] = InboxItem{No: a.No, Service: a.Service, Since: a.UpdatedAt}
	}
	return out, err
}
