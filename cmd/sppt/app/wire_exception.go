package app

import (
	"context"

	"github.com/sppt/sppt/backoffice/exception"
)

// wireException gives every hold its case: the BAP step hooks onto the
// stage machine (a hold opens a case; its decision moves the application
// on), and serves the cases' API and pages.
func (a *App) wireException(context.Context) error {
	h := a.Backoffice
	a.Exception = &exception.Service{Pool: a.Pool, Clock: a.Clock, Stages: h.Stages, Apps: h.Applications, Tokens: a.Tokens,
		Pages: a.Pages, Zone: h.Queue.Location}
	a.Exception.Register()
	a.routes = append(a.routes, a.Exception.Routes)
	a.pages = append(a.pages, func(a *App) { a.Exception.PageRoutes(a.fiber, a.Backoffice.Guard) })
	return nil
}
