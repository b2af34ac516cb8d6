package app

import "context"

// wireQueue builds the on-site queue, devices' HTTP and the live feed.
func (a *App) wireQueue(ctx context.Context) error {
	return nil
}
