package quota

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
)

// Cancel ends a booking, draw entry or waitlist place. A held seat (a
// booking, or a live offer) goes to the waitlist or back to the pool in the
// same transaction.
func (s *Service) Cancel(ctx context.Context, phone, code string) (Booking, error) {
	b, err := s.Booking(ctx, phone, code)
	if err != nil {
		return b, err
	}
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		r, cur, now, err := s.lockBooking(ctx, tx, b)
		if err != nil {
			return err
		}
		switch {
		case cur.Status != StatusBooked && cur.Status != StatusEntered && cur.Status != StatusWaitlisted:
			return ErrNotChangeable
		case cur.Date.Before(r.Day(now)):
			return ErrNotChangeable
		}
		held := cur.Status == StatusBooked || (cur.Status == StatusWaitlisted && !cur.OfferExpiresAt.IsZero())
		if _, err := tx.Exec(ctx, `UPDATE bookings SET status = 'cancelled', offer_expires_at = NULL, updated_at = $2 WHERE id = $1`, cur.ID, now); err != nil {
			return err
		}
		from := cur.Status
		cur.Status, cur.OfferExpiresAt, cur.WaitlistPos, cur.DrawClosesAt = StatusCancelled, time.Time{}, 0, time.Time{}
		b = cur
		if err := audit.Append(ctx, tx, bookingAudit(r.Code, now, cur.Phone, "booking.cancel", cur.Code, map[string]any{"day": dayString(cur.Date), "from": from})); err != nil {
			return err
		}
		if err := s.notify(ctx, tx, r.notice(NoticeCancelled, cur, nil)); err != nil {
			return err
		}
		if !held {
			return nil
		}
		if err := s.seatFreed(ctx, tx, r, cur.Date, now); err != nil {
			return err
		}
		return publishDay(ctx, tx, r.Code, cur.Date, now)
	})
	return b, err
}

// Reschedule moves a booking to another open day of the same office: a seat
// there is taken and the old one freed in one transaction, or nothing
// changes. The code stays the same.
//
// A day whose release draw is still open is refused (in_draw), and the
// error says when the draw closes (ReleasesAt: when the day opens to a
// move). During the window every request for that day is an entry with
// equal odds; a move that took a seat then would jump the draw, and a move
// that traded the citizen's seat for an entry could leave them with none.
// So the booking keeps its seat, and once the draw has run (it runs first
// in this transaction if its close has passed) the seats it left are open
// to moves, first come; a day the draw filled answers quota_exhausted.
func (s *Service) Reschedule(ctx context.Context, phone, code string, date time.Time) (Booking, error) {
	b, err := s.Booking(ctx, phone, code)
	if err != nil {
		return b, err
	}
	to := parseDay(date)
	if b.Status != StatusBooked {
		return b, ErrNotChangeable
	}
	if to.Equal(b.Date) {
		return b, nil
	}
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		r, err := loadRules(ctx, tx, b.Office)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		// Day rows are locked in date order, so two reschedules never deadlock.
		var st DayStatus
		if b.Date.Before(to) {
			if _, err := lockDay(ctx, tx, b.Office, b.Date); err != nil {
				return err
			}
		}
		if _, st, err = s.openDay(ctx, tx, r, to, now, true); err != nil {
			return err
		}
		if !b.Date.Before(to) {
			if _, err := lockDay(ctx, tx, b.Office, b.Date); err != nil {
				return err
			}
		}
		cur, err := s.oneBooking(ctx, tx, `b.id = $1 FOR UPDATE OF b`, b.ID)
		if err != nil {
			return err
		}
		switch {
		case cur.Status != StatusBooked || cur.Date.Before(r.Day(now)):
			return ErrNotChangeable
		case !st.Open:
			return &DateNotOpenError{Reason: st.Reason, HolidayName: st.HolidayName, ReleasesAt: st.ReleasesAt}
		case st.InDraw:
			return &DateNotOpenError{Reason: ReasonInDraw, ReleasesAt: st.DrawClosesAt}
		}
		tag, err := tx.Exec(ctx, `UPDATE quota_days SET online_booked = online_booked + 1, updated_at = $3
			WHERE office = $1 AND day = $2 AND online_booked < online_capacity`, r.Code, to, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrQuotaExhausted
		}
		if _, err := tx.Exec(ctx, `UPDATE bookings SET day = $2, updated_at = $3 WHERE id = $1`, cur.ID, to, now); err != nil {
			return err
		}
		if err := s.seatFreed(ctx, tx, r, cur.Date, now); err != nil {
			return err
		}
		from := cur.Date
		cur.Date = to
		b = cur
		if err := audit.Append(ctx, tx, bookingAudit(r.Code, now, cur.Phone, "booking.reschedule", cur.Code,
			map[string]any{"from": dayString(from), "to": dayString(to)})); err != nil {
			return err
		}
		if err := s.notify(ctx, tx, r.notice(NoticeRescheduled, cur, map[string]string{"key": dayString(to), "from": dayString(from)})); err != nil {
			return err
		}
		if err := publishDay(ctx, tx, r.Code, from, now); err != nil {
			return err
		}
		return publishDay(ctx, tx, r.Code, to, now)
	})
	return b, err
}

// ReleaseNoShow marks a booking whose holder did not come as no_show (an
// officer's decision on the day, or a sweep after a cut-off) and passes its
// seat to the waitlist like a cancel.
func (s *Service) ReleaseNoShow(ctx context.Context, code, actor string) (Booking, error) {
	b, err := s.ByCode(ctx, code)
	if err != nil {
		return b, err
	}
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		r, cur, now, err := s.lockBooking(ctx, tx, b)
		if err != nil {
			return err
		}
		if cur.Status != StatusBooked || cur.Date.After(r.Day(now)) {
			return ErrNotChangeable // only a booking of today (or before) that was never checked in
		}
		if _, err := tx.Exec(ctx, `UPDATE bookings SET status = 'no_show', updated_at = $2 WHERE id = $1`, cur.ID, now); err != nil {
			return err
		}
		cur.Status = StatusNoShow
		b = cur
		if err := audit.Append(ctx, tx, audit.Entry{Office: r.Code, At: now, Actor: actor, Action: "booking.no_show", Subject: "booking:" + cur.Code}); err != nil {
			return err
		}
		if err := s.seatFreed(ctx, tx, r, cur.Date, now); err != nil {
			return err
		}
		return publishDay(ctx, tx, r.Code, cur.Date, now)
	})
	return b, err
}
