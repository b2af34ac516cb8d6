package sla

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// Roles open the dashboard: the office head (validator) and the supervisor,
// each for their own office.
var Roles = []string{"validator", "supervisor"}

// PagePath is the dashboard.
const PagePath = "/backoffice/sla"

// MenuPage is the dashboard's entry in the officers' menu.
var MenuPage = frontend.OfficerPage{Path: PagePath, LabelKey: "sla.nav", Roles: Roles}

// Dashboard is the office's promise at a glance, with the last nightly
// audit-chain check of its chain.
type Dashboard struct {
	Office string     `json:"office"`
	Counts Counts     `json:"counts"`
	Late   []LateItem `json:"late"`
	Audit  *AuditView `json:"audit_check"` // null before the first nightly check
}

// AuditView is the stored chain check as the office sees it.
type AuditView struct {
	At       time.Time     `json:"at"`
	OK       bool          `json:"ok"`
	Anchored bool          `json:"anchored"`
	Entries  int64         `json:"entries_checked"`
	Breaks   []audit.Break `json:"breaks"`
}

// Build is the office's dashboard now.
func (s *Service) Build(ctx context.Context, office string) (Dashboard, error) {
	d := Dashboard{Office: office}
	var err error
	if d.Counts, err = s.Counts(ctx, office); err != nil {
		return d, err
	}
	if d.Late, err = s.LateList(ctx, office); err != nil {
		return d, err
	}
	c, ok, err := audit.LastCheck(ctx, s.Pool)
	if err != nil || !ok {
		return d, err
	}
	mine := c.For(office)
	d.Audit = &AuditView{At: c.At, OK: mine.OK(), Anchored: c.Anchored, Entries: c.Entries, Breaks: mine.Breaks}
	return d, nil
}

// Routes registers the dashboard's API.
func (s *Service) Routes(api httpx.API) {
	api.Get("/backoffice/sla", httpx.Op{Summary: "The office's applications on time, at risk and late against the 3-working-day " +
		"promise, the late ones listed, and the last nightly audit-chain check (validator, supervisor; own office)",
		Tag: "sla", Auth: auth.Officer, Responses: map[int]any{200: Dashboard{}, 401: nil, 403: nil}},
		auth.Require(s.Tokens, auth.Officer), auth.RequireRole(Roles...), s.apiDashboard)
}

func (s *Service) apiDashboard(c fiber.Ctx) error {
	d, err := s.Build(c.Context(), auth.Get(c).Office)
	if err != nil {
		return err
	}
	if d.Late == nil {
		d.Late = []LateItem{}
	}
	return c.JSON(d)
}

// PageRoutes registers the dashboard page; guard is the officer page guard.
func (s *Service) PageRoutes(r fiber.Router, guard func(roles ...string) fiber.Handler) {
	r.Get(PagePath, guard(Roles...), s.page)
}

func (s *Service) page(c fiber.Ctx) error {
	office := auth.Get(c).Office
	d, err := s.Build(c.Context(), office)
	if err != nil {
		return err
	}
	loc, err := s.Zone(c.Context(), office)
	if err != nil {
		return err
	}
	return s.Pages.Render(c, fiber.StatusOK, "sla_dashboard", "sla.title", pageView{Dashboard: d, Zone: loc}, false)
}

type pageView struct {
	Dashboard
	Zone *time.Location
}

// When is t on the office's clock.
func (v pageView) When(t time.Time) string { return t.In(v.Zone).Format("2006-01-02 15:04") }
