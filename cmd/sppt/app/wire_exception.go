package app

import (
	"context"
	"os"

	"github.com/sppt/sppt/backoffice/exception"
	"github.com/sppt/sppt/backoffice/watchlist"
)

// wireException gives every hold its case: the BAP step hooks onto the
// stage machine (a hold opens a case; its decision moves the application
// on), and serves the cases' API and pages.
func (a *App) wireException(ctx context.Context) error {
	h := a.Backoffice
	a.Exception = &exception.Service{Pool: a.Pool, Clock: a.Clock, Stages: h.Stages, Apps: h.Applications, Tokens: a.Tokens,
		Pages: a.Pages, Zone: h.Queue.Location}
	a.Exception.Register()
	a.routes = append(a.routes, a.Exception.Routes)
	a.pages = append(a.pages, func(a *App) { a.Exception.PageRoutes(a.fiber, a.Backoffice.Guard) })
	return a.wireWatchlistPage(ctx)
}

// wireWatchlistPage serves the watchlist's management page over the list
// intake checks (thresholds from the environment, as the CLI reads them).
func (a *App) wireWatchlistPage(context.Context) error {
	cfg, err := watchlist.ConfigFrom(os.Getenv)
	if err != nil {
		return err
	}
	a.Watchlist = watchlist.New(a.Pool, cfg)
	p := &watchlist.Pages{List: a.Watchlist, Pages: a.Pages, Clock: a.Clock}
	a.pages = append(a.pages, func(a *App) { p.PageRoutes(a.fiber, a.Backoffice.Guard) })
	return nil
}
