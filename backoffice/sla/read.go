package sla

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/civil"
)

// Counts are an office's open applications by promise state.
type Counts struct {
	OnTime int `json:"on_time"`
	AtRisk int `json:"at_risk"`
	Late   int `json:"late"`
}

// Counts is the office's open items by state.
func (s *Service) Counts(ctx context.Context, office string) (Counts, error) {
	var c Counts
	err := s.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE state = 'on_time'), count(*) FILTER (WHERE state = 'at_risk'),
			count(*) FILTER (WHERE state = 'late')
		FROM sla_items WHERE office = $1 AND state IN ('on_time', 'at_risk', 'late')`, office).Scan(&c.OnTime, &c.AtRisk, &c.Late)
	return c, err
}

// LateItem is one application past its due day.
type LateItem struct {
	No       string      `json:"application_no"`
	Service  string      `json:"service"`
	Stage    civil.Stage `json:"stage"`
	IntakeAt time.Time   `json:"intake_at"`
	DueOn    string      `json:"due_on"`
	DaysLate int         `json:"working_days_late"`
}

// MaxLate bounds the late list (the dashboard's, not an archive).
const MaxLate = 200

// LateList is the office's late applications, the most overdue first, with
// their stage now and how many working days past due they are.
func (s *Service) LateList(ctx context.Context, office string) ([]LateItem, error) {
	rows, err := s.Pool.Query(ctx, `SELECT application_no, service, intake_at, due_on FROM sla_items
		WHERE office = $1 AND state = 'late' ORDER BY due_on, intake_at, application_no LIMIT $2`, office, MaxLate)
	if err != nil {
		return nil, err
	}
	type row struct {
		no, service string
		intake, due time.Time
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		return x, r.Scan(&x.no, &x.service, &x.intake, &x.due)
	})
	if err != nil {
		return nil, err
	}
	nos := make([]string, len(all))
	for i, x := range all {
		nos[i] = x.no
	}
	stages, err := s.Apps.StagesOf(ctx, office, nos)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	out := make([]LateItem, 0, len(all))
	for _, x := range all {
		// The due day at noon in UTC is that calendar day in every Indonesian zone.
		n, err := s.Calendar.WorkingDaysBetween(ctx, office, x.due.Add(12*time.Hour), now)
		if err != nil {
			return nil, err
		}
		out = append(out, LateItem{No: x.no, Service: x.service, Stage: stages[x.no], IntakeAt: x.intake,
			DueOn: civil.Date(x.due), DaysLate: n})
	}
	return out, nil
}

// Attainment is how many applications of the office became ready on the
// office day, on time (met) and late (missed).
type Attainment struct {
	Met    int `json:"met"`
	Missed int `json:"missed"`
}

// Percent is the share met, or -1 when none became ready.
func (a Attainment) Percent() float64 {
	if a.Met+a.Missed == 0 {
		return -1
	}
	return 100 * float64(a.Met) / float64(a.Met+a.Missed)
}

// AttainmentOn counts the office's items settled on day (an office day).
func (s *Service) AttainmentOn(ctx context.Context, office string, day time.Time) (Attainment, error) {
	loc, err := s.Zone(ctx, office)
	if err != nil {
		return Attainment{}, err
	}
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	var a Attainment
	err = s.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE state = 'met'), count(*) FILTER (WHERE state = 'missed')
		FROM sla_items WHERE office = $1 AND done_at >= $2 AND done_at < $3`, office, from, from.AddDate(0, 0, 1)).Scan(&a.Met, &a.Missed)
	return a, err
}
