// Package network is the regional and national view: every office's day at
// a glance (quota, booked, walk-ins, waiting, served, late applications),
// one office's drill-down and the same figures as CSV. It is not a step: it
// changes nothing, and reads each figure from its owner through the small
// interfaces below, one query per owner for all offices, never one per office.
package network

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
)

// Office is one office as the view lists it.
type Office struct {
	Code, Name, Region string
	Zone               *time.Location
}

// Offices lists offices: a region's, or every one for region "" (quota).
type Offices interface {
	Offices(ctx context.Context, region string) ([]Office, error)
}

// Seats is an office-day's quota figures.
type Seats struct {
	Opened                 bool
	Quota, Booked, Walkins int
}

// Quotas reads seats for many office-days at once: days[i] is offices[i]'s (quota).
type Quotas interface {
	Seats(ctx context.Context, offices []string, days []time.Time) (map[string]Seats, error)
}

// Queue is an office-day's on-site queue.
type Queue struct{ Waiting, Served int }

// Queues reads queues for many office-days at once (the backoffice queue).
type Queues interface {
	Queues(ctx context.Context, offices []string, days []time.Time) (map[string]Queue, error)
}

// Late counts each office's applications past their service promise at now
// (backoffice/sla, built alongside: until it is wired the column shows "—").
type Late interface {
	Late(ctx context.Context, offices []string, now time.Time) (map[string]int, error)
}

// Path is the view; CSVPath the same figures as CSV; an office's drill-down is Path/{code}.
const (
	Path    = "/backoffice/network"
	CSVPath = "/backoffice/network.csv"
)

// Roles open the view: the regional head sees the region's offices, the national admin every office.
var Roles = []string{"regional_head", "national_admin"}

// Pages is the view's menu entry.
var Pages = []frontend.OfficerPage{{Path: Path, LabelKey: "admin.nav.network", Roles: Roles}}

// Service serves the view.
type Service struct {
	Offices Offices
	Quotas  Quotas
	Queues  Queues
	Late    Late // nil until backoffice/sla is wired
	Apps    *application.Store
	Pages   *frontend.Renderer
	Clock   clock.Clock
}

// PageRoutes registers the view, its CSV and the drill-down behind guard.
func (s *Service) PageRoutes(r fiber.Router, guard fiber.Handler) {
	r.Get(Path, guard, s.page)
	r.Get(CSVPath, guard, s.csv)
	r.Get(Path+"/:office", guard, s.officePage)
}

// Row is one office's day.
type Row struct {
	Office
	Day                    time.Time
	Opened                 bool
	Quota, Booked, Walkins int
	Waiting, Served        int
	Late                   int
	LateKnown              bool // false: no SLA figures yet ("—")
}

// scopeRegion is the region the caller sees ("" for all offices).
func scopeRegion(c fiber.Ctx) string {
	p := auth.Get(c)
	if p.HasRole("national_admin") {
		return ""
	}
	return p.Region
}

// Rows is the day of every office in region ("" all), each on its own calendar.
func (s *Service) Rows(ctx context.Context, region string) ([]Row, error) {
	offices, err := s.Offices.Offices(ctx, region)
	if err != nil {
		return nil, err
	}
	return s.rowsOf(ctx, offices)
}

func (s *Service) rowsOf(ctx context.Context, offices []Office) ([]Row, error) {
	now := s.Clock.Now()
	codes := make([]string, len(offices))
	days := make([]time.Time, len(offices))
	for i, o := range offices {
		codes[i], days[i] = o.Code, civil.Day(now, o.Zone)
	}
	seats, err := s.Quotas.Seats(ctx, codes, days)
	if err != nil {
		return nil, err
	}
	queues, err := s.Queues.Queues(ctx, codes, days)
	if err != nil {
		return nil, err
	}
	var late map[string]int
	if s.Late != nil {
		if late, err = s.Late.Late(ctx, codes, now); err != nil {
			return nil, err
		}
	}
	rows := make([]Row, len(offices))
	for i, o := range offices {
		st, q := seats[o.Code], queues[o.Code]
		rows[i] = Row{Office: o, Day: days[i], Opened: st.Opened, Quota: st.Quota, Booked: st.Booked, Walkins: st.Walkins,
			Waiting: q.Waiting, Served: q.Served, Late: late[o.Code], LateKnown: late != nil}
	}
	return rows, nil
}

// inScope is the office code if the caller may see it, else 404.
func (s *Service) inScope(c fiber.Ctx, code string) (Office, error) {
	offices, err := s.Offices.Offices(c.Context(), scopeRegion(c))
	if err != nil {
		return Office{}, err
	}
	for _, o := range offices {
		if o.Code == code {
			return o, nil
		}
	}
	return Office{}, httpx.ErrNotFound
}
