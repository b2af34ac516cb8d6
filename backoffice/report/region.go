package report

import (
	"context"
	"slices"
	"time"
)

// RegionRecap is every office of a region on one day, and their sum.
type RegionRecap struct {
	Region  string  `json:"region"`
	Date    string  `json:"date"`
	Offices []Recap `json:"offices"`
	Total   Recap   `json:"total"`
}

// Region is the recap of each of region's offices for day, and the total.
func (s *Service) Region(ctx context.Context, region string, day time.Time) (RegionRecap, error) {
	offices, err := s.Apps.OfficesOf(ctx, region)
	if err != nil {
		return RegionRecap{}, err
	}
	rr := RegionRecap{Region: region, Offices: []Recap{}}
	for _, o := range offices {
		r, err := s.OfficeRecap(ctx, o[0], day)
		if err != nil {
			return rr, err
		}
		r.Name = o[1]
		rr.Offices = append(rr.Offices, r)
	}
	rr.Total = sum(region, day, rr.Offices)
	rr.Date = rr.Total.Date
	return rr, nil
}

// sum adds the offices' figures; a figure is n/a in the total when it is n/a
// in every office. The satisfaction mean is weighted by responses.
func sum(region string, day time.Time, rs []Recap) Recap {
	t := Recap{Office: region, Date: day.Format(time.DateOnly), ByService: []ServiceRow{}}
	bySvc := map[string]*ServiceRow{}
	var order []string
	var scoreSum float64
	for _, r := range rs {
		t.Applications += r.Applications
		t.Issued += r.Issued
		for _, row := range r.ByService {
			x := bySvc[row.Service]
			if x == nil {
				x = &ServiceRow{Service: row.Service, Stages: map[string]int{}}
				bySvc[row.Service] = x
				order = append(order, row.Service)
			}
			x.Total += row.Total
			for st, n := range row.Stages {
				x.Stages[st] += n
			}
		}
		if r.Blanks != nil {
			t.Blanks = orNew(t.Blanks)
			t.Blanks.Used += r.Blanks.Used
			t.Blanks.Spoiled += r.Blanks.Spoiled
		}
		if r.Revenue != nil {
			t.Revenue = orNew(t.Revenue)
			t.Revenue.Amount += r.Revenue.Amount
			t.Revenue.Paid += r.Revenue.Paid
		}
		if r.SLA != nil {
			t.SLA = orNew(t.SLA)
			t.SLA.Met += r.SLA.Met
			t.SLA.Missed += r.SLA.Missed
		}
		if r.Satisfaction != nil {
			t.Satisfaction = orNew(t.Satisfaction)
			t.Satisfaction.N += r.Satisfaction.N
			scoreSum += r.Satisfaction.Mean * float64(r.Satisfaction.N)
		}
	}
	slices.Sort(order)
	for _, svc := range order {
		t.ByService = append(t.ByService, *bySvc[svc])
	}
	if t.SLA != nil {
		t.SLA.Percent = percent(t.SLA.Met, t.SLA.Missed)
	}
	if t.Satisfaction != nil && t.Satisfaction.N > 0 {
		t.Satisfaction.Mean = scoreSum / float64(t.Satisfaction.N)
	}
	return t
}

func orNew[T any](p *T) *T {
	if p == nil {
		return new(T)
	}
	return p
}
