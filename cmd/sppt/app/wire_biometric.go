package app

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/biometric"
	"github.com/sppt/sppt/backoffice/exception"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/sealed"
)

// wireBiometric gives the biometric stations their pipeline side: the sealed
// capture store, the configured ABIS and the stage moves a capture causes.
// Without a data key in production the stations get 503 until one is set,
// rather than the whole server refusing to start (migrate, seed and the
// other commands need no key).
func (a *App) wireBiometric(ctx context.Context) error {
	box, _, err := sealed.Load(a.Cfg.DataKey, a.Cfg.DataKeyFile, a.Cfg.Env == "production")
	if err != nil {
		a.Log.Warn("biometric capture disabled: no data key", "err", err)
		return nil
	}
	// The builtin index follows the table for the life of the process.
	follow, stop := context.WithCancel(context.WithoutCancel(ctx))
	a.stoppers = append(a.stoppers, func(context.Context) error { stop(); return nil })
	m, err := biometric.Open(follow, a.Cfg, a.Pool, box, a.Clock, a.Log)
	if err != nil {
		return err
	}
	captures := &biometric.Captures{Pool: a.Pool, Box: box, Matcher: m, Stages: captureStages{a.Backoffice.Stages, a.Exception},
		Clock: a.Clock, Retention: a.Cfg.CaptureRetention}
	if a.DeviceHTTP != nil {
		a.DeviceHTTP.Captures = captures
	}
	return a.Sched.Add("biometric-purge", "17 19 * * *", time.UTC, func(ctx context.Context, _ time.Time) error {
		_, err := captures.PurgeExpired(ctx)
		return err
	})
}

// captureStages moves an application on once its capture is accepted.
type captureStages struct {
	st  *application.Stages
	exc *exception.Service
}

func (c captureStages) CaptureDone(ctx context.Context, tx pgx.Tx, no, actor string, o biometric.Outcome) error {
	// A clean capture is the station's word; a hold is the system's finding.
	r := application.Request{No: no, Actor: application.Actor{Kind: application.KindSystem, ID: actor}}
	switch o.Result {
	case biometric.OutcomeClean:
		r.To, r.Clean = civil.StageAdjudication, true
		r.Actor.Kind = application.KindDevice
	case biometric.OutcomeDuplicate:
		r.To, r.Hold, r.Reason = civil.StageOnHold, application.HoldDuplicate, "face matches another identity"
	default:
		r.To, r.Hold, r.Reason = civil.StageOnHold, application.HoldVerificationFailed, "face does not match the enrolled one"
	}
	if _, err := c.st.MoveTx(ctx, tx, r); err != nil || r.To != civil.StageOnHold {
		return err
	}
	// What the BAP examines: the identity matched and the score, no face data.
	f := exception.Finding{Source: "abis", Score: o.Score}
	if o.Result == biometric.OutcomeDuplicate {
		f.Subject = o.Candidate
	}
	return c.exc.Found(ctx, tx, no, f)
}
