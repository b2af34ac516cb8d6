package app

import (
	"context"

	"github.com/sppt/sppt/portal"
	"github.com/sppt/sppt/quota"
)

// wireQuota builds quota, booking and the citizen portal.
func (a *App) wireQuota(ctx context.Context) error {
	a.Portal = &portal.Service{Pool: a.Pool, Clock: a.Clock, Directory: directory{a}, Pages: a.Pages, Log: a.Log}
	a.routes = append(a.routes, a.Portal.Routes)
	a.pages = append(a.pages, func(a *App) { a.Portal.PageRoutes(a.fiber) })
	return nil
}

// directory adapts the quota package to the portal's Directory.
type directory struct{ a *App }

func (d directory) Offices(ctx context.Context) ([]portal.Office, error) {
	offices, err := quota.Offices(ctx, d.a.Pool)
	if err != nil {
		return nil, err
	}
	out := make([]portal.Office, len(offices))
	for i, o := range offices {
		out[i] = portal.Office{Code: o.Code, Name: o.Name, City: o.City, Timezone: o.Timezone, Address: o.Address}
	}
	return out, nil
}

// Today reports no quota until the booking issue lands capacities.
func (d directory) Today(ctx context.Context, office string) (portal.TodayQuota, error) {
	return portal.TodayQuota{}, nil
}
