package backoffice

import (
	"log/slog"
	"slices"

	"github.com/gofiber/fiber/v3"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/network"
	"github.com/sppt/sppt/backoffice/office"
	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/backoffice/worklist"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
)

// Deps is what the backoffice needs from the process and from other domains.
type Deps struct {
	Pool     *pgxpool.Pool
	Clock    clock.Clock
	Tokens   *auth.Tokens
	Throttle auth.Throttle
	Pages    *frontend.Renderer
	Log      *slog.Logger
	// Secure marks the officer cookie Secure (PUBLIC_BASE_URL is https).
	Secure bool
	// Seats and Offices are the quota side of the queue.
	Seats   queue.Seats
	Offices queue.Offices
	// OtherPages are officer pages served by packages outside the backoffice
	// (devices, SMS): they join the menu after the backoffice's own.
	OtherPages []frontend.OfficerPage
	// OfficeAdmin is the quota side of the office and holidays admin pages.
	OfficeAdmin office.Directory
	// Year is the current year (holidays page default).
	Year func() int
}

// House is the backoffice's sub-packages, built together.
type House struct {
	Officers     *officer.Service
	PageAuth     *officer.PageAuth
	Queue        *queue.Service
	Applications *application.Store
	// Stages is the stage machine; stage packages register their hooks on it
	// through the wiring.
	Stages   *application.Stages
	Worklist *worklist.Service
	// Network is the regional and national view; the wiring gives it the
	// figures of quota, queue and (once built) the SLA.
	Network *network.Service
	// Office is the office settings and holidays pages (quota through the wiring).
	Office *office.Service
	// Menu is the officers' menu, in order.
	Menu []frontend.OfficerPage

	tokens *auth.Tokens
}

// Menu is the officers' menu: each sub-package's pages in order, with the
// others (devices, SMS) among them. An officer lands on the first entry their
// roles open, so the order decides landings: the supervisor on the
// applications on hold, desk and pickup on the booth screen, every other
// office role on its own work list, the regional head and the national
// admin on the offices at a glance, the admin on the devices.
func Menu(others ...frontend.OfficerPage) []frontend.OfficerPage {
	return slices.Concat(worklist.FirstPages, queue.Pages, worklist.Pages, network.Pages, others, queue.TextPages, officer.Pages,
		office.Pages)
}

// New builds every sub-package from d.
func New(d Deps) *House {
	h := &House{Menu: Menu(d.OtherPages...)}
	h.Officers = &officer.Service{Pool: d.Pool, Clock: d.Clock, Tokens: d.Tokens, Throttle: d.Throttle, Log: d.Log}
	h.PageAuth = &officer.PageAuth{Pool: d.Pool, Tokens: d.Tokens, Throttle: d.Throttle, Clock: d.Clock, Pages: d.Pages,
		Secure: d.Secure, Menu: h.Menu}
	h.Queue = &queue.Service{Pool: d.Pool, Clock: d.Clock, Tokens: d.Tokens, Seats: d.Seats, Offices: d.Offices,
		Pages: d.Pages, Log: d.Log}
	h.Applications = &application.Store{Pool: d.Pool}
	h.Stages = &application.Stages{Pool: d.Pool, Clock: d.Clock}
	h.tokens = d.Tokens
	h.Office = &office.Service{Dir: d.OfficeAdmin, Pages: d.Pages, Year: d.Year}
	h.Worklist = &worklist.Service{Apps: h.Applications, Pages: d.Pages, Zone: h.Queue.Location}
	h.Network = &network.Service{Apps: h.Applications, Pages: d.Pages, Clock: d.Clock}
	return h
}

// Routes registers every sub-package's /api/v1 routes.
func (h *House) Routes(api httpx.API) {
	h.Officers.Routes(api)
	h.Queue.Routes(api)
	h.Stages.Routes(api, h.tokens)
}

// PageRoutes registers sign-in and every sub-package's pages behind the guard.
func (h *House) PageRoutes(r fiber.Router) {
	h.PageAuth.PageRoutes(r)
	h.Queue.PageRoutes(r, h.PageAuth.Require(queue.Roles...))
	h.Queue.TextPageRoutes(r, h.PageAuth.Require(queue.TextRoles...))
	h.Queue.CapacityPageRoutes(r, h.PageAuth.Require(queue.CapacityRoles...))
	h.Worklist.PageRoutes(r, h.PageAuth.Require)
	h.Network.PageRoutes(r, h.PageAuth.Require(network.Roles...))
	h.PageAuth.ListRoutes(r, h.PageAuth.Require(officer.ListRoles...))
	h.Office.PageRoutes(r, h.PageAuth.Require)
}

// Guard is the officer page guard for pages outside the backoffice.
func (h *House) Guard(roles ...string) fiber.Handler { return h.PageAuth.Require(roles...) }
