package app

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/intake"
	"github.com/sppt/sppt/backoffice/pickup"
	"github.com/sppt/sppt/backoffice/printing"
	"github.com/sppt/sppt/backoffice/validation"
	"github.com/sppt/sppt/devices"
	"github.com/sppt/sppt/internal/civil"
)

// wireHandover builds the last two steps: validation (and its "ready for
// pickup" SMS) and pickup, which the counter camera's face checks feed.
func (a *App) wireHandover(context.Context) error {
	st, register := a.Backoffice.Stages, &printing.Register{Pool: a.Pool}
	a.Validation = &validation.Service{Stages: st, Passports: dataPages{register}, Notifier: a.SMS, Pages: a.Pages, Tokens: a.Tokens}
	a.Validation.Register()
	if a.PriorPassports == nil {
		a.PriorPassports = registerPriors{register, a}
	}
	a.Pickup = &pickup.Service{Pool: a.Pool, Clock: a.Clock, Stages: st, Apps: a.Backoffice.Applications,
		Passports: passportStatus{}, Priors: priors{a}, Pages: a.Pages, Tokens: a.Tokens, Zone: a.Queue.Location,
		Threshold: a.Cfg.FaceMatchThreshold}
	if a.DeviceHTTP != nil && a.DeviceHTTP.Captures != nil {
		a.DeviceHTTP.Captures = pickupCamera{a.DeviceHTTP.Captures, a.Pickup}
	}
	a.routes = append(a.routes, a.Validation.Routes, a.Pickup.Routes)
	a.pages = append(a.pages, func(a *App) {
		a.Validation.PageRoutes(a.fiber, a.Backoffice.Guard(validation.Roles...))
		a.Pickup.PageRoutes(a.fiber, a.Backoffice.Guard(pickup.Roles...))
	})
	return nil
}

// dataPages is printing's register as validation reads a data page, with
// the MRZ lines the printer printed (none for a passport registered some
// other way).
type dataPages struct{ r *printing.Register }

func (d dataPages) DataPage(ctx context.Context, no string) (validation.DataPage, bool, error) {
	p, err := d.r.Get(ctx, no)
	if errors.Is(err, printing.ErrNotFound) {
		return validation.DataPage{}, false, nil
	}
	if err != nil {
		return validation.DataPage{}, false, err
	}
	return validation.DataPage{PassportNo: p.No, Status: p.Status, ExpiresOn: civil.Date(p.ExpiresOn), MRZ: p.MRZ}, true, nil
}

// passportStatus is printing's register as pickup changes it.
type passportStatus struct{}

// A passport handed over (valid) takes its booklet out of the ledger's
// printed state: printed → issued, in the handover's transaction.
func (passportStatus) SetStatus(ctx context.Context, tx pgx.Tx, no, status, reason string, now time.Time) error {
	if err := printing.SetStatus(ctx, tx, no, status, reason, now); err != nil {
		return err
	}
	if status != printing.StatusValid {
		return nil
	}
	err := printing.Issue(ctx, tx, no, "pickup", now)
	if errors.Is(err, printing.ErrNotFound) {
		return nil // registered before SPPT kept a ledger: no booklet row to move
	}
	return err
}

// priors asks a.PriorPassports when the handover needs it, so intake's
// record can take the register's place when it is wired.
type priors struct{ a *App }

func (p priors) Prior(ctx context.Context, ap application.Application) (pickup.Prior, error) {
	return p.a.PriorPassports.Prior(ctx, ap)
}

// registerPriors is what an application replaces: for a renewal or
// replacement, the applicant's passport the register holds as valid today
// (the new one is still "printed"); lost when the desk recorded the
// replacement's reason as a lost passport.
type registerPriors struct {
	r *printing.Register
	a *App
}

func (p registerPriors) Prior(ctx context.Context, ap application.Application) (pickup.Prior, error) {
	if ap.Service != civil.ServiceRenewal && ap.Service != civil.ServiceReplacement {
		return pickup.Prior{}, nil
	}
	old, ok, err := p.r.ValidFor(ctx, ap.NIK, p.a.Clock.Now())
	if err != nil || !ok || old.No == ap.PassportNo {
		return pickup.Prior{}, err
	}
	prior := pickup.Prior{PassportNo: old.No}
	if ap.Service == civil.ServiceReplacement && p.a.Intake != nil {
		rec, err := p.a.Intake.Get(ctx, ap.Office, ap.No)
		if err != nil && !errors.Is(err, intake.ErrNoRecord) {
			return pickup.Prior{}, err
		}
		prior.Lost = rec.Reason == intake.ReasonLost
	}
	return prior, nil
}

// pickupCamera hands every 1:1 face check a device makes to pickup, which
// keeps those of applications ready for pickup for the handover.
type pickupCamera struct {
	devices.Captures
	p *pickup.Service
}

func (c pickupCamera) Verify(ctx context.Context, office, actor, no string, emb []float32) (civil.Verification, error) {
	v, err := c.Captures.Verify(ctx, office, actor, no, emb)
	if err != nil {
		return v, err
	}
	return v, c.p.RecordCheck(ctx, office, no, actor, v)
}
