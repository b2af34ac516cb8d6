package quota

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sppt/sppt/internal/audit"
)

// Waitlist. A freed seat does not return to first-come while someone waits:
// it becomes an offer to the first waiting person (FIFO by waitlisted_at),
// held for the office's waitlist_hold_minutes but never past the day's
// closing. The offer keeps the seat counted in online_booked; accepting
// turns it into a booking, expiry passes it to the next person, and with
// nobody left the seat returns to the pool.

// offerSeats offers up to n seats to the first waiting people without an
// offer and reports how many it placed. The day's row must be locked.
func (s *Service) offerSeats(ctx context.Context, tx pgx.Tx, r *rules, day time.Time, n int, now time.Time) (int, error) {
	if n <= 0 {
		return 0, nil
	}
	hold := now.Add(r.hold)
	if c := r.closesAt(day); c.Before(hold) {
		hold = c
	}
	if !hold.After(now) {
		return 0, nil
	}
	rows, err := tx.Query(ctx, `SELECT `+bookingCols+` FROM bookings b WHERE b.office = $1 AND b.day = $2
		AND b.status = 'waitlisted' AND b.offer_expires_at IS NULL ORDER BY b.waitlisted_at, b.id LIMIT $3`, r.Code, day, n)
	if err != nil {
		return 0, err
	}
	list, err := pgx.CollectRows(rows, scanBooking)
	if err != nil || len(list) == 0 {
		return 0, err
	}
	var ae []audit.Entry
	var ns []Notice
	for _, b := range list {
		if _, err := tx.Exec(ctx, `UPDATE bookings SET offer_expires_at = $2, updated_at = $3 WHERE id = $1`, b.ID, hold, now); err != nil {
			return 0, err
		}
		_, err := s.Jobs.InsertTx(ctx, tx, ExpireOfferArgs{BookingID: b.ID}, &river.InsertOpts{ScheduledAt: s.wall(hold), UniqueOpts: river.UniqueOpts{ByArgs: true}})
		if err != nil {
			return 0, err
		}
		ae = append(ae, audit.Entry{Office: r.Code, At: now, Actor: "system", Action: "booking.waitlist_offer", Subject: "booking:" + b.Code,
			Data: map[string]any{"day": dayString(day), "expires_at": hold}})
		ns = append(ns, r.notice(NoticeWaitlistOffer, b, map[string]string{"expires": hold.In(r.loc).Format("02-01-2006 15:04 MST")}))
	}
	if err := audit.Append(ctx, tx, ae...); err != nil {
		return 0, err
	}
	return len(list), s.notify(ctx, tx, ns...)
}

// seatFreed passes one freed seat to the waitlist or back to the pool.
func (s *Service) seatFreed(ctx context.Context, tx pgx.Tx, r *rules, day, now time.Time) error {
	offered, err := s.offerSeats(ctx, tx, r, day, 1, now)
	if err != nil || offered == 1 {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE quota_days SET online_booked = online_booked - 1, updated_at = $3 WHERE office = $1 AND day = $2`, r.Code, day, now)
	return err
}

// AcceptOffer turns a live waitlist offer into a booking.
func (s *Service) AcceptOffer(ctx context.Context, phone, code string) (Booking, error) {
	b, err := s.Booking(ctx, phone, code)
	if err != nil {
		return b, err
	}
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		r, cur, now, err := s.lockBooking(ctx, tx, b)
		if err != nil {
			return err
		}
		if cur.Status != StatusWaitlisted || cur.OfferExpiresAt.IsZero() || !now.Before(cur.OfferExpiresAt) {
			return ErrNoOffer
		}
		if _, err := tx.Exec(ctx, `UPDATE bookings SET status = 'booked', offer_expires_at = NULL, updated_at = $2 WHERE id = $1`, cur.ID, now); err != nil {
			return err
		}
		cur.Status, cur.OfferExpiresAt, cur.WaitlistPos = StatusBooked, time.Time{}, 0
		b = cur
		if err := audit.Append(ctx, tx, bookingAudit(r.Code, now, cur.Phone, "booking.accept_offer", cur.Code, map[string]any{"day": dayString(cur.Date)})); err != nil {
			return err
		}
		return s.notify(ctx, tx, r.notice(NoticeBooked, cur, nil))
	})
	return b, err
}

// lockBooking locks the booking's day row, then the booking (always in that
// order, as every writer does), and re-reads it.
func (s *Service) lockBooking(ctx context.Context, tx pgx.Tx, b Booking) (*rules, Booking, time.Time, error) {
	r, err := loadRules(ctx, tx, b.Office)
	if err != nil {
		return nil, b, time.Time{}, err
	}
	if _, err := lockDay(ctx, tx, b.Office, b.Date); err != nil {
		return nil, b, time.Time{}, err
	}
	cur, err := s.oneBooking(ctx, tx, `b.id = $1 FOR UPDATE OF b`, b.ID)
	return r, cur, s.Clock.Now(), err
}

// ExpireOfferArgs is the River job that ends an offer at its expiry.
type ExpireOfferArgs struct {
	BookingID int64 `json:"booking_id"`
}

func (ExpireOfferArgs) Kind() string { return "quota_expire_offer" }

type expireOfferWorker struct {
	river.WorkerDefaults[ExpireOfferArgs]
	s *Service
}

func (w *expireOfferWorker) Work(ctx context.Context, job *river.Job[ExpireOfferArgs]) error {
	err := w.s.expireOffer(ctx, job.Args.BookingID)
	var nd *NotDueError
	if errors.As(err, &nd) {
		return river.JobSnooze(nd.Wait)
	}
	return err
}

// ExpireOffers ends every offer whose hold has passed (the jobs do this one
// by one; this sweep is for tests, tools and a late clock).
func (s *Service) ExpireOffers(ctx context.Context) (int, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id FROM bookings WHERE status = 'waitlisted' AND offer_expires_at <= $1
		ORDER BY offer_expires_at, id`, s.Clock.Now())
	if err != nil {
		return 0, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := s.expireOffer(ctx, id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// expireOffer ends one offer if it is still live and due, and passes the seat on.
func (s *Service) expireOffer(ctx context.Context, id int64) error {
	b, err := s.oneBooking(ctx, s.Pool, `b.id = $1`, id)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		r, cur, now, err := s.lockBooking(ctx, tx, b)
		if err != nil || cur.Status != StatusWaitlisted || cur.OfferExpiresAt.IsZero() {
			return err // accepted, cancelled or already expired
		}
		if now.Before(cur.OfferExpiresAt) {
			return &NotDueError{Wait: cur.OfferExpiresAt.Sub(now)}
		}
		if _, err := tx.Exec(ctx, `UPDATE bookings SET status = 'expired', offer_expires_at = NULL, updated_at = $2 WHERE id = $1`, cur.ID, now); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, audit.Entry{Office: r.Code, At: now, Actor: "system", Action: "booking.offer_expired", Subject: "booking:" + cur.Code}); err != nil {
			return err
		}
		if err := s.notify(ctx, tx, r.notice(NoticeOfferExpired, cur, nil)); err != nil {
			return err
		}
		if err := s.seatFreed(ctx, tx, r, cur.Date, now); err != nil {
			return err
		}
		return publishDay(ctx, tx, r.Code, cur.Date, now)
	})
}
