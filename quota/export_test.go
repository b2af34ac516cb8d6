package quota

import (
	"context"
	"time"
)

// ReleaseSweep is a fresh process's release sweep, for tests to fire by hand.
func (s *Service) ReleaseSweep(ctx context.Context) func(ctx context.Context, slot time.Time) error {
	return s.newReleaseSweep(ctx).run
}

// Queued is how many requests wait in the office-day's batcher (not yet in a batch).
func (s *Service) Queued(office string, day time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.batchers[dayKey{office, dayString(day)}]; b != nil {
		return len(b.queue)
	}
	return 0
}

// QueuedTotal is the process's admission count: requests in every queue.
func (s *Service) QueuedTotal() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queued
}
