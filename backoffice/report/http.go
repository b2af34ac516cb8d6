package report

import (
	"bytes"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// Page paths.
const (
	PagePath  = "/backoffice/reports"
	CSVPath   = "/backoffice/reports/recap.csv"
	ChartPath = "/backoffice/reports/chart.svg"
	AuditPath = "/backoffice/audit"
)

// MenuPages are the recap's and the audit viewer's menu entries.
var MenuPages = []frontend.OfficerPage{
	{Path: PagePath, LabelKey: "report.nav", Roles: Roles},
	{Path: AuditPath, LabelKey: "report.audit.nav", Roles: AuditRoles},
}

// View is what one recap request shows: an office's day, or a region's.
type View struct {
	Scope  Scope        `json:"-"`
	Office *Recap       `json:"office,omitempty"`
	Region *RegionRecap `json:"region,omitempty"`
}

// recaps is the view's lines: the office, or each office of the region.
func (v View) recaps() []Recap {
	if v.Region != nil {
		return append(append([]Recap(nil), v.Region.Offices...), v.Region.Total)
	}
	return []Recap{*v.Office}
}

func (s *Service) build(c fiber.Ctx) (View, error) {
	sc, err := s.scopeOf(c)
	if err != nil {
		return View{}, err
	}
	v := View{Scope: sc}
	if sc.Region != "" {
		rr, err := s.Region(c.Context(), sc.Region, sc.Day)
		v.Region = &rr
		return v, err
	}
	r, err := s.OfficeRecap(c.Context(), sc.Office, sc.Day)
	v.Office = &r
	return v, err
}

// Routes registers the recap's and the audit log's API.
func (s *Service) Routes(api httpx.API) {
	officer := auth.Require(s.Tokens, auth.Officer)
	q := []httpx.Param{{Name: "date", Description: "office day, YYYY-MM-DD (default today)"},
		{Name: "office", Description: "office code (regional head: one of the region; admin: any)"},
		{Name: "region", Description: "region (admin only; a regional head gets their own by default)"}}
	res := map[int]any{200: View{}, 401: nil, 403: nil, 404: nil, 422: nil}
	api.Get("/backoffice/reports/daily", httpx.Op{Summary: "The daily recap of an office or a region: applications by service " +
		"and stage, issued, blanks, revenue, SLA attainment, satisfaction (null: source not wired)", Tag: "reports",
		Auth: auth.Officer, Query: q, Responses: res}, officer, auth.RequireRole(Roles...), s.apiDaily)
	api.Get("/backoffice/reports/daily.csv", httpx.Op{Summary: "The same recap as CSV, one figure a line " +
		"(office,date,figure,service,stage,value)", Tag: "reports", Auth: auth.Officer, Query: q, Produces: "text/csv",
		Responses: map[int]any{200: nil, 401: nil, 403: nil, 404: nil, 422: nil}}, officer, auth.RequireRole(Roles...), s.csv)
	aq := []httpx.Param{{Name: "from", Description: "first office day, YYYY-MM-DD"}, {Name: "to", Description: "last office day, YYYY-MM-DD"},
		{Name: "action", Description: `an action ("bill.pay") or a prefix ending in a dot ("bill.")`},
		{Name: "subject", Description: `a subject, e.g. "application:JKS-20260302-A001"`},
		{Name: "before", Description: "page backwards: entries with a sequence number below this"}}
	api.Get("/backoffice/audit", httpx.Op{Summary: "The office's audit log, newest first, 50 a page (office head, admin; " +
		"phone numbers and NIKs masked)", Tag: "reports", Auth: auth.Officer, Query: aq,
		Responses: map[int]any{200: auditPage{}, 401: nil, 403: nil, 422: nil}}, officer, auth.RequireRole(AuditRoles...), s.apiAudit)
}

func (s *Service) apiDaily(c fiber.Ctx) error {
	v, err := s.build(c)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Service) csv(c fiber.Ctx) error {
	v, err := s.build(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := CSV(&buf, v.recaps()); err != nil {
		return err
	}
	name := v.Scope.Office
	if v.Region != nil {
		name = "region"
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="sppt-recap-`+name+"-"+v.recaps()[0].Date+`.csv"`)
	return c.Send(buf.Bytes())
}

// PageRoutes registers the pages; guard is the officer page guard.
func (s *Service) PageRoutes(r fiber.Router, guard func(roles ...string) fiber.Handler) {
	r.Get(PagePath, guard(Roles...), s.page)
	r.Get(CSVPath, guard(Roles...), s.csv)
	r.Get(ChartPath, guard(Roles...), s.chart)
	r.Get(AuditPath, guard(AuditRoles...), s.auditPage)
}

func (s *Service) chart(c fiber.Ctx) error {
	v, err := s.build(c)
	if err != nil {
		return err
	}
	label := func(key string) string { return s.Pages.Catalog().T(httpx.Lang(c), key) }
	var svg []byte
	if v.Region != nil {
		svg, err = officesChart(*v.Region, label)
	} else {
		svg, err = servicesChart(*v.Office, label)
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/svg+xml")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(svg)
}
