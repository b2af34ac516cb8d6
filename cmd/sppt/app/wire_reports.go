package app

import (
	"context"
	"time"

	"github.com/sppt/sppt/backoffice/report"
	"github.com/sppt/sppt/backoffice/sla"
)

// wireReports builds the SLA (hooked to the stage machine, swept hourly on
// one instance) and the daily recap with the figures of the domains that
// own them: billing's revenue, the SLA's attainment. The blank ledger
// (printing) and the feedback scores (intake) are not wired yet: the recap
// shows their figures as n/a until they are.
func (a *App) wireReports(context.Context) error {
	bo := a.Backoffice
	a.SLA = &sla.Service{Pool: a.Pool, Clock: a.Clock, Calendar: a.Quota, Zone: bo.Queue.Location, Apps: bo.Applications,
		Pages: a.Pages, Tokens: a.Tokens, Log: a.Log}
	a.SLA.Register(bo.Stages)
	a.Reports = &report.Service{Pool: a.Pool, Clock: a.Clock, Apps: bo.Applications, Pages: a.Pages, Tokens: a.Tokens,
		Zone: bo.Queue.Location, Revenue: a.Billing, SLA: slaAttainment{a.SLA}}
	if a.Feedback != nil {
		a.Reports.Satisfaction = a.Feedback
	}
	a.Reports.Blanks = recapBlanks{a}
	a.routes = append(a.routes, a.SLA.Routes, a.Reports.Routes)
	a.pages = append(a.pages, func(a *App) {
		a.SLA.PageRoutes(a.fiber, bo.Guard)
		a.Reports.PageRoutes(a.fiber, bo.Guard)
	})
	return a.Sched.Add("sla-sweep", sla.SweepSpec, time.UTC, a.SLA.Sweep)
}

// slaAttainment is the recap's view of the SLA.
type slaAttainment struct{ s *sla.Service }

func (x slaAttainment) AttainmentOn(ctx context.Context, office string, day time.Time) (int, int, error) {
	a, err := x.s.AttainmentOn(ctx, office, day)
	return a.Met, a.Missed, err
}

// recapBlanks is the recap's view of the blank ledger.
type recapBlanks struct{ a *App }

func (b recapBlanks) BlanksOn(ctx context.Context, office string, day time.Time) (int, int, error) {
	if b.a.Ledger == nil {
		return 0, 0, nil
	}
	uses, err := b.a.Ledger.Usage(ctx, office, day, day)
	used, spoiled := 0, 0
	for _, u := range uses {
		used += u.Printed
		spoiled += u.Spoiled
	}
	return used, spoiled, err
}
