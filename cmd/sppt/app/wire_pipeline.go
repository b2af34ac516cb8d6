package app

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/adjudication"
	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/backoffice/intake"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/sms"
)

// wirePipeline connects the stage packages to the stage machine: each
// reacts to moves through hooks, none imports another.
func (a *App) wirePipeline(ctx context.Context) error {
	st := a.Backoffice.Stages
	a.Billing = &billing.Service{Pool: a.Pool, Clock: a.Clock, Stages: billingStages{st}, Notifier: billingNotifier{a},
		Log: a.Log, Secret: []byte(a.Cfg.BankCallbackSecret), Validity: a.Cfg.BillValidity, Tokens: a.Tokens}
	st.OnEnter(civil.StageBilling, billingIssue{a.Billing}.hook)
	st.OnLeave(civil.StageBilling, billingIssue{a.Billing}.cancelUnlessPaid)
	if err := a.wireIntake(ctx); err != nil {
		return err
	}
	st.OnEnter(civil.StageRejected, rejectedNotice{a}.hook)
	a.Adjudication = &adjudication.Service{Pool: a.Pool, Clock: a.Clock, Stages: st, Tokens: a.Tokens}
	a.Adjudication.Register()
	a.routes = append(a.routes, a.Billing.Routes, a.Adjudication.Routes)
	if err := a.wireException(ctx); err != nil {
		return err
	}
	if err := a.wireBiometric(ctx); err != nil {
		return err
	}
	if err := a.wirePrinting(ctx); err != nil {
		return err
	}
	return a.Sched.Add("billing-expire", billing.SweepSpec, time.UTC, a.Billing.ExpireDue)
}

// billingStages is billing's view of the stage machine.
type billingStages struct{ st *application.Stages }

func (b billingStages) Paid(ctx context.Context, tx pgx.Tx, no, actor string) error {
	_, err := b.st.MoveTx(ctx, tx, application.Request{No: no, To: civil.StagePrinting,
		Actor: application.Actor{Kind: application.KindPayment, ID: actor}})
	return err
}

func (b billingStages) Expired(ctx context.Context, tx pgx.Tx, no string) error {
	_, err := b.st.MoveTx(ctx, tx, application.Request{No: no, To: civil.StageCancelled,
		Actor: application.Actor{Kind: application.KindSystem}, Reason: "bill_expired"})
	return err
}

// billingIssue is billing's side of the billing stage.
type billingIssue struct{ b *billing.Service }

func (h billingIssue) hook(ctx context.Context, tx pgx.Tx, m application.Moved) error {
	// The desk recorded what the fee depends on beyond the application: a
	// replacement's reason (lost, damaged, …), marriage, the e-passport.
	reason, married, electronic, err := intake.BillingFacts(ctx, tx, m.No)
	if err != nil {
		return err
	}
	_, err = h.b.Issue(ctx, tx, billing.Application{ApplicationNo: m.No, Office: m.Office, Phone: m.Phone,
		Request: billing.Request{Service: m.Service, BirthDate: m.BirthDate, Reason: reason, Married: married,
			Electronic: electronic}}, m.Actor.String())
	return err
}

func (h billingIssue) cancelUnlessPaid(ctx context.Context, tx pgx.Tx, m application.Moved) error {
	if m.Stage == civil.StagePrinting {
		return nil
	}
	return h.b.Cancel(ctx, tx, m.No, m.Actor.String(), m.Reason)
}

// billingNotifier hands billing's notices to the SMS service.
type billingNotifier struct{ a *App }

func (n billingNotifier) Notify(ctx context.Context, tx pgx.Tx, b billing.Notice) error {
	return n.a.SMS.Notify(ctx, tx, sms.Notice{Kind: b.Kind, Phone: b.Phone, Office: b.Office, Key: b.Key, Params: b.Params})
}

// rejectedNotice tells the applicant the reason of a rejection.
type rejectedNotice struct{ a *App }

func (r rejectedNotice) hook(ctx context.Context, tx pgx.Tx, m application.Moved) error {
	if m.Phone == "" {
		return nil
	}
	return r.a.SMS.Notify(ctx, tx, sms.Notice{Kind: "application_rejected", Phone: m.Phone, Office: m.Office,
		Key: "rejected:" + m.No, Params: map[string]string{"appno": m.No, "reason": m.Reason}})
}
