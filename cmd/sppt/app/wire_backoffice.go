package app

import (
	"context"

	"github.com/sppt/sppt/backoffice"
	"github.com/sppt/sppt/internal/auth"
)

// wireBackoffice builds the officer pipeline.
func (a *App) wireBackoffice(ctx context.Context) error {
	a.Backoffice = &backoffice.Service{Pool: a.Pool, Clock: a.Clock, Tokens: a.Tokens, Throttle: auth.DefaultThrottle, Log: a.Log}
	a.routes = append(a.routes, a.Backoffice.Routes)
	return nil
}
