package intake

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// Outcome is where the hand-over sent the application.
type Outcome struct {
	ApplicationNo string      `json:"application_no"`
	Stage         civil.Stage `json:"stage"` // biometric, or on_hold when a check found something
	Hold          string      `json:"hold,omitempty"`
	Reason        string      `json:"reason,omitempty"`
	ReadyOn       string      `json:"ready_on,omitempty"` // YYYY-MM-DD: 3 working days after intake
	Findings      []Finding   `json:"-"`
}

// Handover ends the desk's part: with every document of the checklist
// ticked, the checks run; anything found puts the application on hold (a
// BAP, then a decision) with a reason naming it, else it goes on to the
// captures and the receipt's ready date is fixed.
func (s *Service) Handover(ctx context.Context, actor application.Actor, no string) (Outcome, error) {
	rec, err := s.Get(ctx, actor.Office, no)
	if err != nil {
		return Outcome{}, err
	}
	a, err := s.Apps.InOffice(ctx, actor.Office, no)
	if err != nil {
		return Outcome{}, err
	}
	if a.Stage != civil.StageDesk {
		return Outcome{}, &application.TransitionError{From: a.Stage, To: civil.StageBiometric}
	}
	if a.Service == civil.ServiceReplacement && rec.Reason == "" {
		return Outcome{}, httpx.Invalid().Field("replacement_reason", "intake.field.replacement_reason")
	}
	if miss := Missing(a.Service, rec.Reason, rec.Checklist); len(miss) > 0 {
		return Outcome{}, httpx.Invalid().Field("checklist", "intake.field.missing", "docs", strings.Join(miss, ", "))
	}
	found, err := s.Check(ctx, a, rec)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{ApplicationNo: no, Stage: civil.StageBiometric, Findings: found}
	req := application.Request{No: no, To: civil.StageBiometric, Actor: actor}
	if len(found) > 0 {
		reasons := make([]string, len(found))
		for i, f := range found {
			reasons[i] = f.Reason
		}
		out.Stage, out.Hold, out.Reason = civil.StageOnHold, found[0].Hold, strings.Join(reasons, "; ")
		if len(out.Reason) > application.MaxReason {
			out.Reason = out.Reason[:application.MaxReason]
		}
		req.To, req.Hold, req.Reason = out.Stage, out.Hold, out.Reason
	} else {
		ready, err := s.Calendar.AddWorkingDays(ctx, a.Office, s.Clock.Now(), ReadyWorkingDays)
		if err != nil {
			return Outcome{}, err
		}
		out.ReadyOn = civil.Date(ready)
	}
	now := s.Clock.Now()
	ctx = context.WithValue(ctx, checkedKey{}, true)
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		if _, err := s.Stages.MoveTx(ctx, tx, req); err != nil {
			return err
		}
		if len(found) > 0 && s.Cases != nil {
			if err := s.Cases.Found(ctx, tx, no, found[0].Evidence); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE intake_records SET outcome = $2, finding = $3, handed_over_at = $4,
			ready_on = NULLIF($5, '')::date, updated_at = $4 WHERE application_no = $1`,
			no, string(out.Stage), out.Reason, now, out.ReadyOn); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: a.Office, At: now, Actor: actor.String(), Action: "intake.handover",
			Subject: "application:" + no, Data: map[string]any{"stage": out.Stage, "hold": out.Hold, "ready_on": out.ReadyOn}})
	})
	return out, err
}
