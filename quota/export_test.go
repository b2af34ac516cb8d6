package quota

import (
	"context"
	"time"
)

// ReleaseSweep is a fresh process's release sweep, for tests to fire by hand.
func (s *Service) ReleaseSweep(ctx context.Context) func(ctx context.Context, slot time.Time) error {
	return s.newReleaseSweep(ctx).run
}
