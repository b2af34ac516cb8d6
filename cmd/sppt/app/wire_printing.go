package app

import (
	"context"
	"time"

	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/backoffice/printing"
	"github.com/sppt/sppt/portal"
)

// wirePrinting builds the printing step: the print queue hooked onto the
// stage machine, the printers' endpoints, the passport record API and the
// blanks page. The validity rule is billing's, so a passport is valid for
// the years its fee was charged for.
func (a *App) wirePrinting(context.Context) error {
	format, err := printing.ParseNumberFormat(a.Cfg.PassportNumberFormat)
	if err != nil {
		return err
	}
	a.Ledger = &printing.Ledger{Pool: a.Pool}
	a.Printing = &printing.Service{Pool: a.Pool, Clock: a.Clock, Stages: a.Backoffice.Stages, Apps: a.Backoffice.Applications,
		Ledger: a.Ledger, Passports: &printing.Register{Pool: a.Pool}, Numbers: format, BookType: a.Cfg.PrintBookType,
		Validity: billing.ValidityYears, Tokens: a.Tokens, Pages: a.Pages, Log: a.Log}
	a.Printing.Register()
	if a.DeviceHTTP != nil {
		a.DeviceHTTP.PrintJobs = a.Printing
	}
	if a.Portal != nil {
		a.Portal.Blanks = portalBlanks{a.Ledger}
	}
	a.routes = append(a.routes, a.Printing.Routes)
	a.pages = append(a.pages, func(a *App) { a.Printing.PageRoutes(a.fiber, a.Backoffice.Guard) })
	return nil
}

// portalBlanks is the portal's view of the blank ledger's outlook.
type portalBlanks struct{ l *printing.Ledger }

func (p portalBlanks) Outlook(ctx context.Context, office string, today time.Time, days []time.Time) ([]portal.BlankDay, error) {
	out, err := p.l.Outlook(ctx, office, today, days)
	res := make([]portal.BlankDay, len(out))
	for i, o := range out {
		res[i] = portal.BlankDay{Date: o.Date, BookType: o.BookType, Level: o.Level}
	}
	return res, err
}
