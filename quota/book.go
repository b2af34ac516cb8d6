package quota

import (
	"cmp"
	"context"
	"errors"
	"regexp"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
)

// MaxActivePerPhone is how many active bookings (and draw entries and
// waitlist places) one verified phone may hold: a family, as before.
const MaxActivePerPhone = 5

// activeStatuses hold or wait for a seat; the NIK index covers exactly these.
const activeSQL = `('entered', 'booked', 'checked_in', 'waitlisted')`

var (
	nikRE   = regexp.MustCompile(`^\d{16}$`)
	phoneRE = regexp.MustCompile(`^\+628[0-9]{7,12}$`)
)

// Book reserves a seat (StatusBooked), or enters the day's release draw
// (StatusEntered) while its window is open. Concurrent calls for one
// office-day are group-committed: one transaction and one counter update
// per batch.
func (s *Service) Book(ctx context.Context, req BookingRequest) (Booking, error) {
	return s.submit(ctx, req, false)
}

// JoinWaitlist puts the applicant on a full day's waitlist (StatusWaitlisted).
// If a seat is free after all, it is booked instead; during a draw window the
// request is a draw entry like any other.
func (s *Service) JoinWaitlist(ctx context.Context, req BookingRequest) (Booking, error) {
	return s.submit(ctx, req, true)
}

func (s *Service) submit(ctx context.Context, req BookingRequest, waitlist bool) (Booking, error) {
	if err := checkRequest(req); err != nil {
		return Booking{}, err
	}
	req.Date, req.BirthDate = parseDay(req.Date), parseDay(req.BirthDate)
	p := &pending{req: req, waitlist: waitlist, done: make(chan struct{})}
	if err := s.enqueue(p); err != nil {
		return Booking{}, err
	}
	wait := time.NewTimer(cmp.Or(s.MaxQueueWait, DefaultMaxQueueWait))
	defer wait.Stop()
	for {
		select {
		case <-p.done:
			if p.err == nil && p.res.Status == StatusWaitlisted {
				return s.oneBooking(ctx, s.Pool, `b.id = $1`, p.res.ID) // with its place in line
			}
			return p.res, p.err
		case <-wait.C:
			if s.withdraw(p) {
				return Booking{}, s.refuseWithdrawn()
			}
			// In a batch already: its answer is coming, and is the truth.
		case <-ctx.Done():
			// Withdrawn, nothing is written; else the batch may still
			// commit, and the booking then shows in Bookings.
			s.withdraw(p)
			return Booking{}, ctx.Err()
		}
	}
}

// checkRequest refuses what the database would refuse, so one bad request
// can never abort a whole batch.
func checkRequest(req BookingRequest) error {
	if !slices.Contains(Services, req.Service) {
		return ErrInvalidService
	}
	if !nikRE.MatchString(req.NIK) {
		return ErrInvalidNIK
	}
	n := utf8.RuneCountInString(req.FullName)
	if n < 2 || n > 100 || (req.Sex != "M" && req.Sex != "F") || !phoneRE.MatchString(req.Phone) ||
		req.BirthDate.IsZero() || req.Date.IsZero() || len(req.Office) != 3 {
		return ErrInvalidInput
	}
	return nil
}

// lockDay reads a day's row FOR UPDATE (exists=false when there is none).
func lockDay(ctx context.Context, tx pgx.Tx, office string, day time.Time) (dayRow, error) {
	return readDay(ctx, tx, office, day, true)
}

func readDay(ctx context.Context, tx pgx.Tx, office string, day time.Time, lock bool) (dayRow, error) {
	q := `SELECT ` + dayCols + ` FROM quota_days WHERE office = $1 AND day = $2`
	if lock {
		q += ` FOR UPDATE`
	}
	d, err := scanDay(tx.QueryRow(ctx, q, office, day))
	if errors.Is(err, pgx.ErrNoRows) {
		return dayRow{day: day}, nil
	}
	return d, err
}

// openDay reads the day's row (locked, or not for an optimistic batch),
// creating it from the office's defaults and release schedule when it is
// open but not yet materialised, and returns it with its status. A draw
// whose window has closed without being run (its job is late) is run first,
// so first-come never takes the entrants' seats.
func (s *Service) openDay(ctx context.Context, tx pgx.Tx, r *rules, day, now time.Time, lock bool) (dayRow, DayStatus, error) {
	hols, err := loadHolidays(ctx, tx, r.Code, day, day)
	if err != nil {
		return dayRow{}, DayStatus{}, err
	}
	name, isHol := hols[dayString(day)]
	row, err := readDay(ctx, tx, r.Code, day, lock)
	if err != nil {
		return row, DayStatus{}, err
	}
	if !row.exists {
		st := r.evaluate(r.defaultRow(day), name, isHol, now)
		if !st.Open {
			return row, st, nil
		}
		if _, err := s.createDay(ctx, tx, r, day, now); err != nil {
			return row, st, err
		}
		if row, err = readDay(ctx, tx, r.Code, day, lock); err != nil {
			return row, st, err
		}
	}
	if row.drawClosesAt != nil && row.drawnAt == nil && !now.Before(*row.drawClosesAt) {
		if row, err = lockDay(ctx, tx, r.Code, day); err != nil { // the draw needs the lock
			return row, DayStatus{}, err
		}
		if row.drawnAt == nil {
			if err := s.drawTx(ctx, tx, r, row, now); err != nil {
				return row, DayStatus{}, err
			}
		}
		if row, err = lockDay(ctx, tx, r.Code, day); err != nil {
			return row, DayStatus{}, err
		}
	}
	return row, r.evaluate(row, name, isHol, now), nil
}

// createDay materialises a released day from the office's defaults, with its
// release instant and draw window; an open draw gets its closing job.
func (s *Service) createDay(ctx context.Context, tx pgx.Tx, r *rules, day, now time.Time) (bool, error) {
	r = r.on(day)
	rel := r.releaseOf(day)
	var closes, drawn *time.Time
	if r.drawWindow > 0 {
		c := rel.Add(r.drawWindow)
		closes = &c
		if !now.Before(c) {
			drawn = &now // the window passed before anyone could enter: nothing to draw
		}
	}
	d := r.defaultRow(day)
	tag, err := tx.Exec(ctx, `INSERT INTO quota_days (office, day, online_capacity, walkin_capacity, priority_capacity,
		released_at, draw_closes_at, drawn_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (office, day) DO NOTHING`, r.Code, day, d.onlineCap, d.walkinCap, d.priorityCap, rel, closes, drawn, now)
	if err != nil || tag.RowsAffected() == 0 {
		return false, err
	}
	if closes != nil && drawn == nil {
		if err := s.scheduleDraw(ctx, tx, r.Code, day, *closes); err != nil {
			return false, err
		}
	}
	return true, nil
}

// wall maps a business instant to the wall clock River schedules by (they
// differ under SPPT_NOW); workers re-check the business clock and snooze.
func (s *Service) wall(t time.Time) time.Time { return time.Now().Add(t.Sub(s.Clock.Now())) }

func (s *Service) scheduleDraw(ctx context.Context, tx pgx.Tx, office string, day, closes time.Time) error {
	_, err := s.Jobs.InsertTx(ctx, tx, CloseDrawArgs{Office: office, Day: dayString(day)},
		&river.InsertOpts{ScheduledAt: s.wall(closes), UniqueOpts: river.UniqueOpts{ByArgs: true}})
	return err
}

// BookBatch books requests for one office-day as exactly one group-commit
// batch (bulk tools and tests); answers are in request order.
func (s *Service) BookBatch(ctx context.Context, reqs []BookingRequest) ([]Booking, []error) {
	out, errs := make([]Booking, len(reqs)), make([]error, len(reqs))
	var batch []*pending
	var idx []int
	for i, req := range reqs {
		if errs[i] = checkRequest(req); errs[i] != nil {
			continue
		}
		req.Date, req.BirthDate = parseDay(req.Date), parseDay(req.BirthDate)
		if len(batch) > 0 && (req.Office != batch[0].req.Office || !req.Date.Equal(batch[0].req.Date)) {
			errs[i] = ErrInvalidInput // one office-day per batch
			continue
		}
		batch = append(batch, &pending{req: req, done: make(chan struct{})})
		idx = append(idx, i)
	}
	if len(batch) > 0 {
		conn, err := s.Pool.Acquire(ctx)
		if err != nil {
			failAll(batch, err)
		} else {
			s.flush(conn, batch)
			conn.Release()
		}
	}
	for j, p := range batch {
		out[idx[j]], errs[idx[j]] = p.res, p.err
	}
	return out, errs
}
