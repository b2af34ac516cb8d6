package quota

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
)

// SetDay sets a day's capacities (priority nil: the office's default share,
// capped at walk-in) and opens the day for booking now, even on a weekend,
// a holiday or beyond the window: an admin's decision wins over the rules.
// A day already released keeps its release (and draw); seats added while
// people wait go to the waitlist as offers first.
func (s *Service) SetDay(ctx context.Context, office string, date time.Time, online, walkin int, priority *int, actor string) (DayStatus, error) {
	day := parseDay(date)
	if online < 0 || walkin < 0 || (priority != nil && (*priority < 0 || *priority > walkin)) {
		return DayStatus{}, ErrInvalidInput
	}
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		r, err := loadRules(ctx, tx, office)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if day.Before(r.Day(now)) {
			return &DateNotOpenError{Reason: ReasonPast}
		}
		prio := min(r.on(day).defPriority, walkin)
		if priority != nil {
			prio = *priority
		}
		if _, err := tx.Exec(ctx, `INSERT INTO quota_days (office, day, online_capacity, walkin_capacity, priority_capacity,
			released_at, manual, set_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, true, $7, $6)
			ON CONFLICT (office, day) DO NOTHING`, office, day, online, walkin, prio, now, actor); err != nil {
			return err
		}
		row, err := lockDay(ctx, tx, office, day)
		if err != nil {
			return err
		}
		if online < row.onlineBooked || walkin < row.walkinIssued || prio < row.priorityUsed {
			return ErrCapacityBelowBooked
		}
		// Opening now: no draw for an admin's opening, unless one is already running.
		if _, err := tx.Exec(ctx, `UPDATE quota_days SET online_capacity = $3, walkin_capacity = $4, priority_capacity = $5,
				manual = true, set_by = $6, closed_reason = NULL, updated_at = $7,
				draw_closes_at = CASE WHEN released_at IS NULL OR released_at > $7 THEN NULL ELSE draw_closes_at END,
				released_at = CASE WHEN released_at IS NULL OR released_at > $7 THEN $7 ELSE released_at END
			WHERE office = $1 AND day = $2`, office, day, online, walkin, prio, actor, now); err != nil {
			return err
		}
		if added := online - row.onlineCap; added > 0 && (row.drawClosesAt == nil || row.drawnAt != nil) {
			offered, err := s.offerSeats(ctx, tx, r, day, added, now)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE quota_days SET online_booked = online_booked + $3 WHERE office = $1 AND day = $2`, office, day, offered); err != nil {
				return err
			}
		}
		if err := audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "quota.set",
			Subject: "quota:" + office + ":" + dayString(day),
			Data:    map[string]any{"online": online, "walkin": walkin, "priority": prio}}); err != nil {
			return err
		}
		return publishDay(ctx, tx, office, day, now)
	})
	if err != nil {
		return DayStatus{}, err
	}
	return s.Day(ctx, office, day)
}
