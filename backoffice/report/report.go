// Package report is the daily recap of an office and of a region —
// applications by service and stage, passports issued, blanks used and
// spoiled, revenue, SLA attainment and the satisfaction index — as a page
// with server-rendered SVG charts and as CSV; and the audit viewer, where the
// office head reads every transaction of the office. It writes nothing: it
// reads applications through backoffice/application, the audit log through
// internal/audit, and every other domain's figures through the small
// interfaces below, which cmd/sppt/app wires. A figure whose source is not
// wired shows as "n/a", never as a zero that looks measured.
package report

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// Blanks is the blank-booklet ledger's count of an office day.
type Blanks interface {
	BlanksOn(ctx context.Context, office string, day time.Time) (used, spoiled int, err error)
}

// Revenue is billing's count of the bills paid on an office day.
type Revenue interface {
	RevenueOn(ctx context.Context, office string, day time.Time) (amount int64, paid int, err error)
}

// SLA is the SLA's count of applications that became ready on an office
// day within the promise (met) and after it (missed).
type SLA interface {
	AttainmentOn(ctx context.Context, office string, day time.Time) (met, missed int, err error)
}

// Satisfaction is the feedback given on an office day: mean score 1–5.
type Satisfaction interface {
	SatisfactionOn(ctx context.Context, office string, day time.Time) (mean float64, n int, err error)
}

// Service builds recaps and serves the report and audit pages.
type Service struct {
	Pool   *pgxpool.Pool
	Clock  clock.Clock
	Apps   *application.Store
	Pages  *frontend.Renderer
	Tokens *auth.Tokens
	Zone   func(ctx context.Context, office string) (*time.Location, error)
	// Each may be nil: its figures are then "n/a".
	Blanks       Blanks
	Revenue      Revenue
	SLA          SLA
	Satisfaction Satisfaction
}

// Stages are the recap's columns, in pipeline order.
var Stages = civil.Stages

// Recap is one office day's figures. A nil pointer is a figure whose source
// is not wired (shown "n/a").
type Recap struct {
	Office       string             `json:"office"`
	Name         string             `json:"name,omitempty"`
	Date         string             `json:"date"`
	Applications int                `json:"applications"`
	ByService    []ServiceRow       `json:"by_service"`
	Issued       int                `json:"issued"`
	Blanks       *BlankFigures      `json:"blanks"`
	Revenue      *RevenueFigures    `json:"revenue"`
	SLA          *SLAFigures        `json:"sla"`
	Satisfaction *SatisfactionIndex `json:"satisfaction"`
}

// ServiceRow is one service's applications of the day, by stage now.
type ServiceRow struct {
	Service string         `json:"service"`
	Total   int            `json:"total"`
	Stages  map[string]int `json:"stages"`
}

// BlankFigures are the booklets used (printed) and spoiled.
type BlankFigures struct {
	Used    int `json:"used"`
	Spoiled int `json:"spoiled"`
}

// RevenueFigures are the bills paid and their sum in rupiah.
type RevenueFigures struct {
	Amount int64 `json:"amount_idr"`
	Paid   int   `json:"bills_paid"`
}

// SLAFigures are the applications that became ready, on time and late;
// Percent is -1 when none did.
type SLAFigures struct {
	Met     int     `json:"met"`
	Missed  int     `json:"missed"`
	Percent float64 `json:"percent"`
}

// SatisfactionIndex is the mean feedback score (1–5) and how many gave it.
type SatisfactionIndex struct {
	Mean float64 `json:"mean"`
	N    int     `json:"responses"`
}

// OfficeRecap is one office's figures for day (an office day).
func (s *Service) OfficeRecap(ctx context.Context, office string, day time.Time) (Recap, error) {
	r := Recap{Office: office, Date: civil.Date(day), ByService: []ServiceRow{}}
	counts, err := s.Apps.DayCounts(ctx, office, day)
	if err != nil {
		return r, err
	}
	for _, c := range counts {
		if len(r.ByService) == 0 || r.ByService[len(r.ByService)-1].Service != c.Service {
			r.ByService = append(r.ByService, ServiceRow{Service: c.Service, Stages: map[string]int{}})
		}
		row := &r.ByService[len(r.ByService)-1]
		row.Stages[string(c.Stage)] += c.N
		row.Total += c.N
		r.Applications += c.N
	}
	if r.Issued, err = s.Apps.EnteredOn(ctx, office, civil.StagePickedUp, day); err != nil {
		return r, err
	}
	return r, s.others(ctx, &r, office, day)
}

// others fills the figures other domains own.
func (s *Service) others(ctx context.Context, r *Recap, office string, day time.Time) error {
	if s.Blanks != nil {
		used, spoiled, err := s.Blanks.BlanksOn(ctx, office, day)
		if err != nil {
			return err
		}
		r.Blanks = &BlankFigures{Used: used, Spoiled: spoiled}
	}
	if s.Revenue != nil {
		amount, paid, err := s.Revenue.RevenueOn(ctx, office, day)
		if err != nil {
			return err
		}
		r.Revenue = &RevenueFigures{Amount: amount, Paid: paid}
	}
	if s.SLA != nil {
		met, missed, err := s.SLA.AttainmentOn(ctx, office, day)
		if err != nil {
			return err
		}
		r.SLA = &SLAFigures{Met: met, Missed: missed, Percent: percent(met, missed)}
	}
	if s.Satisfaction != nil {
		mean, n, err := s.Satisfaction.SatisfactionOn(ctx, office, day)
		if err != nil {
			return err
		}
		r.Satisfaction = &SatisfactionIndex{Mean: mean, N: n}
	}
	return nil
}

func percent(met, missed int) float64 {
	if met+missed == 0 {
		return -1
	}
	return float64(int(1000*float64(met)/float64(met+missed)+0.5)) / 10
}
