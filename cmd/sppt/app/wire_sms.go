package app

import (
	"context"

	"github.com/sppt/sppt/sms"
)

// wireSMS builds the messaging service: provider, outbox.
func (a *App) wireSMS(ctx context.Context) error {
	var provider sms.Provider = &sms.LogProvider{Log: a.Log}
	a.Outbox = &sms.Outbox{Pool: a.Pool, Jobs: a.Jobs, Clock: a.Clock, Provider: provider, Log: a.Log}
	a.Outbox.Register(a.Jobs)
	return nil
}
