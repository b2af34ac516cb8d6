package sms

import "context"

// SeedDemoSubscribers subscribes phones (E.164) to office's broadcast by SMS
// in Indonesian, for demo data; phones already subscribed stay as they are.
func (s *Service) SeedDemoSubscribers(ctx context.Context, office string, phones []string) error {
	now := s.Clock.Now()
	for _, p := range phones {
		if _, err := s.Pool.Exec(ctx, `INSERT INTO sms_subscriptions (office, phone, channel, lang, created_at)
			VALUES ($1, $2, 'sms', 'id', $3) ON CONFLICT DO NOTHING`, office, p, now); err != nil {
			return err
		}
	}
	return nil
}
