package app

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/gofiber/fiber/v3"
)

// Roles select what a process runs; serve runs all of them.
type Roles struct {
	HTTP, Workers, Scheduler bool
}

// All is the embedded default.
var All = Roles{HTTP: true, Workers: true, Scheduler: true}

// ShutdownTimeout bounds a graceful stop (SIGTERM → exit).
const ShutdownTimeout = 10 * time.Second

// Serve runs the chosen roles until ctx ends, then stops gracefully within
// ShutdownTimeout. ln is the HTTP listener (nil: listen on HTTP_ADDR).
func (a *App) Serve(ctx context.Context, roles Roles, ln net.Listener) error {
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); a.Hub.Run(runCtx) }()
	wg.Add(1)
	go func() { defer wg.Done(); a.Revoked.Run(runCtx, a.Hub) }()
	if err := a.Jobs.Start(runCtx, a.Pool, a.Log, roles.Workers); err != nil {
		return err
	}
	if roles.Workers {
		for _, loop := range a.loops {
			wg.Add(1)
			go func() { defer wg.Done(); loop(runCtx) }()
		}
	}
	if roles.Scheduler {
		wg.Add(1)
		go func() { defer wg.Done(); a.Sched.Run(runCtx) }()
	}
	errc := make(chan error, 1)
	if roles.HTTP {
		f := a.HTTP()
		if ln == nil {
			var err error
			if ln, err = net.Listen("tcp", a.Cfg.HTTPAddr); err != nil {
				return err
			}
		}
		go func() { errc <- f.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true}) }()
		a.Log.Info("listening", "addr", ln.Addr().String())
	}
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	stopCtx, stop := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer stop()
	if roles.HTTP {
		if e := a.fiber.ShutdownWithContext(stopCtx); e != nil {
			err = errors.Join(err, e)
		}
	}
	if e := a.Jobs.Stop(stopCtx); e != nil && !errors.Is(e, context.DeadlineExceeded) {
		err = errors.Join(err, e)
	}
	cancel()
	wg.Wait()
	return err
}
