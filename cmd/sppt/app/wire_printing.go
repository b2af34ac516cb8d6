package app

import (
	"context"

	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/backoffice/printing"
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
	a.routes = append(a.routes, a.Printing.Routes)
	a.pages = append(a.pages, func(a *App) { a.Printing.PageRoutes(a.fiber, a.Backoffice.Guard) })
	return nil
}
