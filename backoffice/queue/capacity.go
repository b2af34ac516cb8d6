package queue

// Capacity planning: from what the queue measured, how many applicants an
// office can serve a day, beside the numbers it is configured with.
//
// suggested = booths × open minutes × Utilisation ÷ measured turn time,
// per booth group. Utilisation leaves room for breaks, recalls and the
// variance of turn times (a queue run at 100 % grows without bound). The
// OSS figure is split between online and walk-in seats in the proportion
// the office is configured with, and capped by blank stock: an office
// cannot take in more applicants a day than it has booklets for over the
// working days the stock must last.

import (
	"context"
	"math"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// Utilisation is the share of booth time planned for applicants.
const Utilisation = 0.85

// CapacityPath is the capacity-planning page.
const CapacityPath = "/backoffice/capacity"

// CapacityRoles read it: the office head, the supervisor and the admin.
var CapacityRoles = []string{"validator", "supervisor", "admin"}

// Planning is what capacity needs from other domains (wired in cmd/sppt):
// the office's opening hours and configured seats (quota), and its blank
// stock (printing; nil until wired).
type Planning interface {
	// Hours is the office's opening time and closing time on day, as
	// durations since local midnight.
	Hours(ctx context.Context, office string, day time.Time) (opens, closes time.Duration, err error)
	// Configured is the day's configured online, walk-in and priority seats.
	Configured(ctx context.Context, office string, day time.Time) (online, walkin, priority int, err error)
	// BlankStock is the booklets in stock (all types); ok is false when
	// the office keeps no ledger yet.
	BlankStock(ctx context.Context, office string) (n int, ok bool, err error)
}

// GroupPlan is one booth group's measured pace and what it allows.
type GroupPlan struct {
	Group     string // "oss" or "pickup"
	Booths    int
	TurnMin   float64
	Measured  bool // false: DefaultTurn, the office has too few finished tickets
	Suggested int  // applicants a day
}

// Plan is an office's capacity plan for a day.
type Plan struct {
	Office                       string
	Date                         string
	OpenMinutes                  int
	Groups                       []GroupPlan
	Online, Walkin, Priority     int // configured
	SuggestedOnline, SuggestedWI int
	Stock                        int
	HasStock                     bool
	StockDays                    float64 // working days the stock lasts at the suggested intake
	Accuracy                     Accuracy
}

// Accuracy is how close the issued forecasts came to the real calls.
type Accuracy struct {
	Tickets          int
	P50Min, P90Min   float64
	WithinTenMinutes float64 // share of tickets called within 10 minutes of the forecast
	WithinTenPct     int
}

// Capacity plans office's day.
func (q *Service) Capacity(ctx context.Context, office string, day time.Time) (Plan, error) {
	p := Plan{Office: office, Date: civil.Date(day)}
	if q.Planning == nil {
		return p, nil
	}
	opens, closes, err := q.Planning.Hours(ctx, office, day)
	if err != nil {
		return p, err
	}
	p.OpenMinutes = int((closes - opens).Minutes())
	if p.Online, p.Walkin, p.Priority, err = q.Planning.Configured(ctx, office, day); err != nil {
		return p, err
	}
	for _, g := range []struct {
		name     string
		services []string
	}{{"oss", civil.OSSBoothServices}, {"pickup", civil.PickupBoothServices}} {
		gp, err := q.groupPlan(ctx, office, day, g.services, p.OpenMinutes)
		if err != nil {
			return p, err
		}
		gp.Group = g.name
		p.Groups = append(p.Groups, gp)
	}
	q.split(&p)
	if p.Stock, p.HasStock, err = q.Planning.BlankStock(ctx, office); err != nil {
		return p, err
	}
	if p.HasStock && p.Groups[0].Suggested > 0 {
		p.StockDays = float64(p.Stock) / float64(p.Groups[0].Suggested)
	}
	p.Accuracy, err = q.Accuracy(ctx, office, day)
	return p, err
}

func (q *Service) groupPlan(ctx context.Context, office string, day time.Time, g []string, openMin int) (GroupPlan, error) {
	var gp GroupPlan
	if err := q.Pool.QueryRow(ctx, `SELECT count(*) FROM booths WHERE office = $1 AND services && $2::text[]`, office, g).Scan(&gp.Booths); err != nil {
		return gp, err
	}
	turn, measured, err := q.turn(ctx, q.Pool, office, day, q.Clock.Now(), g)
	if err != nil {
		return gp, err
	}
	gp.TurnMin, gp.Measured = turn.Minutes(), measured
	if turn > 0 {
		gp.Suggested = int(math.Floor(float64(gp.Booths) * float64(openMin) * Utilisation / turn.Minutes()))
	}
	return gp, nil
}

// split divides the OSS figure between online and walk-in seats as the
// office's configuration does (half and half when it has none).
func (q *Service) split(p *Plan) {
	total := p.Groups[0].Suggested
	share := 0.5
	if p.Online+p.Walkin > 0 {
		share = float64(p.Online) / float64(p.Online+p.Walkin)
	}
	p.SuggestedOnline = int(math.Round(float64(total) * share))
	p.SuggestedWI = total - p.SuggestedOnline
}

// Accuracy compares each ticket's forecast at issue with its call, over
// the HistoryDays up to day.
func (q *Service) Accuracy(ctx context.Context, office string, day time.Time) (Accuracy, error) {
	var a Accuracy
	err := q.Pool.QueryRow(ctx, `WITH e AS (
			SELECT abs(extract(epoch FROM called_at - predicted_call_at)) / 60 AS m FROM queue_tickets
			WHERE office = $1 AND day BETWEEN $2::date - $3::int AND $2 AND called_at IS NOT NULL AND predicted_call_at IS NOT NULL)
		SELECT count(*), coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY m), 0),
			coalesce(percentile_cont(0.9) WITHIN GROUP (ORDER BY m), 0),
			coalesce(avg(CASE WHEN m <= 10 THEN 1.0 ELSE 0 END), 0) FROM e`, office, day, HistoryDays).
		Scan(&a.Tickets, &a.P50Min, &a.P90Min, &a.WithinTenMinutes)
	a.WithinTenPct = int(math.Round(a.WithinTenMinutes * 100))
	return a, err
}

// CapacityPageRoutes registers the planning page; guard admits CapacityRoles.
func (q *Service) CapacityPageRoutes(r fiber.Router, guard fiber.Handler) {
	r.Get(CapacityPath, guard, q.capacityPage)
}

func (q *Service) capacityPage(c fiber.Ctx) error {
	office := auth.Get(c).Office
	day, err := q.Day(c.Context(), office, q.Clock.Now())
	if err != nil {
		return err
	}
	if d := c.Query("date"); d != "" {
		if day, err = time.Parse(time.DateOnly, d); err != nil {
			return httpx.Invalid().Field("date", "field.date")
		}
	}
	p, err := q.Capacity(c.Context(), office, day)
	if err != nil {
		return err
	}
	return q.Pages.Render(c, fiber.StatusOK, "queue_capacity", "queue.capacity.title", p, false)
}
