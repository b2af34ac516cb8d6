// Package worklist is each officer role's list of the office's applications
// waiting at its step, oldest first, the read-only application page behind
// each line. It is not a step:
// it moves nothing, and reads only through backoffice/application. A step
// package that builds its own screen for a role may take that role's place
// in the menu; the lists stay as the plain view of who waits where.
package worklist

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/civil"
)

// List is one role's work list: the stages its officers take applications from.
type List struct {
	Slug   string // /backoffice/work/{slug}
	Roles  []string
	Stages []civil.Stage
}

// Path is the list's page.
func (l List) Path() string { return "/backoffice/work/" + l.Slug }

// Lists is every role's list whose step has no screen of its own yet.
var Lists = []List{
	{Slug: "on-hold", Roles: []string{"supervisor"}, Stages: []civil.Stage{civil.StageOnHold}},
	{Slug: "biometric", Roles: []string{"biometric"}, Stages: []civil.Stage{civil.StageBiometric}},
	{Slug: "adjudication", Roles: []string{"adjudicator"}, Stages: []civil.Stage{civil.StageAdjudication}},
	{Slug: "billing", Roles: []string{"cashier"}, Stages: []civil.Stage{civil.StageBilling}},
	{Slug: "printing", Roles: []string{"printer"}, Stages: []civil.Stage{civil.StagePrinting}},
	{Slug: "validation", Roles: []string{"validator"}, Stages: []civil.Stage{civil.StageValidation}},
	{Slug: "ready", Roles: []string{"pickup"}, Stages: []civil.Stage{civil.StageReady}},
}

// FirstPages come before the booth screen in the menu (the supervisor lands
// on the applications on hold); Pages after it (desk and pickup land on the
// booth screen, every other office role on its own list).
var FirstPages, Pages []frontend.OfficerPage

// DetailRoles open the application page (the regional and national view
// is backoffice/network).
var DetailRoles = []string{"desk", "biometric", "adjudicator", "supervisor", "cashier", "printer", "validator", "pickup"}

func init() {
	for i, l := range Lists {
		pg := frontend.OfficerPage{Path: l.Path(), LabelKey: "officer.nav.work_" + l.Slug, Roles: l.Roles}
		if i == 0 {
			FirstPages = append(FirstPages, pg)
		} else {
			Pages = append(Pages, pg)
		}
	}
}

// Limit is the most lines a list shows: a day's work, not the archive.
const Limit = 200

// Service serves the lists.
type Service struct {
	Apps  *application.Store
	Pages *frontend.Renderer
	// Zone is an office's time zone, so times read as the office's clock.
	Zone func(ctx context.Context, office string) (*time.Location, error)
}

// PageRoutes registers the lists and the application page; guard(roles...)
// is the officer page guard.
func (s *Service) PageRoutes(r fiber.Router, guard func(roles ...string) fiber.Handler) {
	for _, l := range Lists {
		r.Get(l.Path(), guard(l.Roles...), s.listPage(l))
	}
	r.Get("/backoffice/applications/:no", guard(DetailRoles...), s.detailPage)
}
