package app

import (
	"context"
	"time"

	"github.com/sppt/sppt/backoffice/network"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/quota"
)

// wireNetwork gives the regional and national view its figures: offices and
// seats from quota, the queue from the backoffice queue. Late applications
// come from backoffice/sla's sweep.
func (a *App) wireNetwork() {
	n := a.Backoffice.Network
	n.Offices, n.Quotas, n.Queues, n.Late = networkOffices{a}, networkSeats{a}, networkQueues{a}, networkLate{a}
}

// networkLate reads the SLA's late flags (wired after the network view).
type networkLate struct{ a *App }

func (l networkLate) Late(ctx context.Context, offices []string, now time.Time) (map[string]int, error) {
	if l.a.SLA == nil {
		return map[string]int{}, nil
	}
	return l.a.SLA.LateCounts(ctx, offices, now)
}

type networkOffices struct{ a *App }

func (o networkOffices) Offices(ctx context.Context, region string) ([]network.Office, error) {
	all, err := quota.Offices(ctx, o.a.Pool)
	if err != nil {
		return nil, err
	}
	var out []network.Office
	for _, q := range all {
		if region != "" && q.Region != region {
			continue
		}
		loc, err := civil.Zone(q.Timezone)
		if err != nil {
			return nil, err
		}
		out = append(out, network.Office{Code: q.Code, Name: q.Name, Region: q.Region, Zone: loc})
	}
	return out, nil
}

type networkSeats struct{ a *App }

func (s networkSeats) Seats(ctx context.Context, offices []string, days []time.Time) (map[string]network.Seats, error) {
	figs, err := s.a.Quota.FiguresOf(ctx, offices, days)
	out := make(map[string]network.Seats, len(figs))
	for k, f := range figs {
		out[k] = network.Seats{Opened: f.Opened, Quota: f.Quota, Booked: f.Booked, Walkins: f.Walkins}
	}
	return out, err
}

type networkQueues struct{ a *App }

func (q networkQueues) Queues(ctx context.Context, offices []string, days []time.Time) (map[string]network.Queue, error) {
	counts, err := q.a.Queue.CountsOf(ctx, offices, days)
	out := make(map[string]network.Queue, len(counts))
	for k, c := range counts {
		out[k] = network.Queue{Waiting: c.Waiting, Served: c.Served}
	}
	return out, err
}
