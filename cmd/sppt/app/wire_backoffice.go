package app

import (
	"context"
	"strings"
	"time"

	"github.com/sppt/sppt/backoffice"
	"github.com/sppt/sppt/backoffice/exception"
	"github.com/sppt/sppt/backoffice/intake"
	"github.com/sppt/sppt/backoffice/pickup"
	"github.com/sppt/sppt/backoffice/printing"
	"github.com/sppt/sppt/backoffice/report"
	"github.com/sppt/sppt/backoffice/sla"
	"github.com/sppt/sppt/backoffice/validation"
	"github.com/sppt/sppt/backoffice/watchlist"
	"github.com/sppt/sppt/devices"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/sms"
)

// wireBackoffice builds the officer pipeline: officers, the queue, applications.
func (a *App) wireBackoffice(ctx context.Context) error {
	a.Backoffice = backoffice.New(backoffice.Deps{Pool: a.Pool, Clock: a.Clock, Tokens: a.Tokens, Throttle: auth.DefaultThrottle,
		Pages: a.Pages, Log: a.Log, Secure: strings.HasPrefix(a.Cfg.PublicBaseURL, "https://"),
		Seats: seats{a}, Offices: offices{a}, OtherPages: append([]frontend.OfficerPage{intake.MenuPage, exception.MenuPage,
			watchlist.MenuPage, validation.MenuPage, pickup.MenuPage, devices.MenuPage, sms.MenuPage, printing.MenuPage,
			sla.MenuPage}, report.MenuPages...),
		OfficeAdmin: officeAdmin{a}, Year: func() int { return a.Clock.Now().In(civil.ZoneOr("Asia/Jakarta", time.UTC)).Year() }})
	a.Queue = a.Backoffice.Queue
	a.wireNetwork()
	a.routes = append(a.routes, a.Backoffice.Routes)
	a.pages = append(a.pages, func(a *App) { a.Backoffice.PageRoutes(a.fiber) })
	return a.wireQueue(a.Backoffice)
}
