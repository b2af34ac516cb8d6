package quota

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/idn"
)

// Group commit. Each process keeps one batcher per office-day with requests
// waiting; up to Flushers goroutines take whatever has queued (at most
// MaxBatch) as one batch while earlier batches are in their transactions.
// One batch = one transaction: one multi-row INSERT, one counter UPDATE, one
// audit append, one commit (one WAL flush). Seats go in arrival order within
// a batch.
//
// A batch is optimistic first: it reads the day without a lock, does its
// checks and writes, and takes the day's row lock last, with the
// conditional UPDATE (online_booked + k <= online_capacity). The lock is
// held only for that UPDATE, the audit append and the commit, so batches
// overlap on both cores. When the seats might not suffice (or the UPDATE
// refuses), the batch is rolled back and rerun pessimistically: lock first,
// then decide. Across processes the row lock, the conditional UPDATE and the
// CHECK online_booked <= online_capacity keep it exact. Locks are always
// taken in one order — phones (advisory, in key order), the day row, the
// office's audit head — so writers never deadlock on them.

type pending struct {
	req      BookingRequest
	waitlist bool
	done     chan struct{}
	res      Booking
	err      error

	status string // decided in the batch
	key    dayKey
	taken  bool // in a batch: no longer the caller's to withdraw (under Service.mu)
}

type batcher struct {
	key     dayKey
	queue   []*pending
	running int
}

// Flushers is how many batches of one office-day one process runs at once.
// Two overlap one batch's commit with the next one's reads and inserts;
// more only split the crowd into smaller batches that queue for the same
// day row and audit head (flashcrowd, 2 cores: p99 74–97 ms with 2,
// 103–140 with 3, 150–170 with 6).
const Flushers = 2

// Admission control's defaults. 512 waiting is two seconds of what one
// instance committed for 120 offices in the load proof (about 250
// bookings/s on 2 cores), and 5 s keeps a refused phone well inside its
// timeout while a held lock or a restarting database clears.
const (
	DefaultMaxQueued    = 512
	DefaultMaxQueueWait = 5 * time.Second
)

// enqueue queues p for its office-day's batcher, or refuses it (ErrBusy)
// when the process already holds MaxQueued waiting.
func (s *Service) enqueue(p *pending) error {
	p.key = dayKey{p.req.Office, dayString(p.req.Date)}
	s.mu.Lock()
	if s.queued >= cmp.Or(s.MaxQueued, DefaultMaxQueued) {
		err := s.refuse()
		s.mu.Unlock()
		return err
	}
	if s.batchers == nil {
		s.batchers = map[dayKey]*batcher{}
	}
	b := s.batchers[p.key]
	if b == nil {
		b = &batcher{key: p.key}
		s.batchers[p.key] = b
	}
	b.queue = append(b.queue, p)
	s.queued++
	start := b.running < Flushers
	if start {
		b.running++
	}
	s.mu.Unlock()
	if start {
		go s.runBatcher(b)
	}
	return nil
}

// refuse counts a refusal and says when to come back (under s.mu).
func (s *Service) refuse() error {
	s.admit.roll(time.Now())
	s.admit.refused++
	return &BusyError{Wait: s.admit.retryAfter()}
}

// withdraw takes p out of its queue if no batch has taken it yet: then
// nothing of it was written, and the caller answers for it.
func (s *Service) withdraw(p *pending) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.taken {
		return false
	}
	if b := s.batchers[p.key]; b != nil {
		if i := slices.Index(b.queue, p); i >= 0 {
			b.queue = slices.Delete(b.queue, i, i+1)
			s.queued--
		}
	}
	return true
}

// refuseWithdrawn is the refusal of a request withdrawn after waiting too
// long (a caller that went away is not one: it will not come back).
func (s *Service) refuseWithdrawn() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refuse()
}

func (s *Service) runBatcher(b *batcher) {
	max := s.MaxBatch
	if max <= 0 {
		max = 256
	}
	for {
		// A connection first, then the batch: while this flusher waits for
		// a connection, arrivals join the queue and its batch. Taken the
		// other way round, a pool busy with many office-days kept every
		// batch at the one or two requests there were when it was formed,
		// and the commits, not the seats, set the pace (the load proof:
		// 120 offices at 1,000 bookings/s answered 120/s, most after 30 s).
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		conn, err := s.Pool.Acquire(ctx)
		cancel()
		s.mu.Lock()
		if len(b.queue) == 0 {
			b.running--
			if b.running == 0 {
				delete(s.batchers, b.key)
			}
			s.mu.Unlock()
			if conn != nil {
				conn.Release()
			}
			return
		}
		n := min(len(b.queue), max)
		batch := slices.Clone(b.queue[:n])
		b.queue = b.queue[n:]
		s.queued -= n
		s.admit.roll(time.Now())
		s.admit.taken += n
		for _, p := range batch {
			p.taken = true
		}
		s.mu.Unlock()
		if err != nil {
			failAll(batch, err)
			s.Log.Error("booking batch failed", "office", batch[0].req.Office, "n", len(batch), "err", err)
		} else {
			s.flush(conn, batch)
			conn.Release()
		}
		for _, p := range batch {
			close(p.done)
		}
	}
}

// errPessimistic reruns a batch with the day locked first.
var errPessimistic = errors.New("quota: rerun the batch under the day lock")

// flush runs one batch on conn: optimistic, then pessimistic when seats
// are short; a booking-code clash or a deadlock (two batches with one NIK)
// is retried.
func (s *Service) flush(conn *pgxpool.Conn, batch []*pending) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	lock := false
	for attempt := 0; attempt < 6; attempt++ {
		for _, p := range batch {
			p.res, p.err, p.status = Booking{}, nil, ""
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return s.flushTx(ctx, tx, batch, lock) })
		var pe *pgconn.PgError
		switch {
		case errors.Is(err, errPessimistic):
			lock = true
			continue
		case errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "23505" && pe.ConstraintName == "bookings_code_key"):
			lock = true
			continue
		}
		break
	}
	if err != nil {
		for _, p := range batch {
			if p.err == nil || p.res.ID != 0 {
				p.err, p.res = err, Booking{}
			}
		}
		var dn *DateNotOpenError
		if !errors.As(err, &dn) && !errors.Is(err, ErrNoOffice) {
			s.Log.Error("booking batch failed", "office", batch[0].req.Office, "n", len(batch), "err", err)
		}
	}
}

// failAll aborts a batch whose every request gets the same answer.
func failAll(batch []*pending, err error) error {
	for _, p := range batch {
		p.err = err
	}
	return err
}

func (s *Service) flushTx(ctx context.Context, tx pgx.Tx, batch []*pending, lock bool) error {
	office, day := batch[0].req.Office, batch[0].req.Date
	now := s.Clock.Now()
	r, err := loadRules(ctx, tx, office)
	if err != nil {
		return failAll(batch, err)
	}
	cands, err := s.precheck(ctx, tx, batch)
	if err != nil {
		return err
	}
	row, st, err := s.openDay(ctx, tx, r, day, now, lock)
	if err != nil {
		return err
	}
	if !st.Open {
		return failAll(batch, &DateNotOpenError{Reason: st.Reason, HolidayName: st.HolidayName, ReleasesAt: st.ReleasesAt})
	}
	seats := max(0, row.onlineCap-row.onlineBooked)
	for _, p := range cands {
		switch {
		case st.InDraw:
			p.status = StatusEntered
		case seats > 0:
			p.status, seats = StatusBooked, seats-1
		case !lock:
			return errPessimistic // the unlocked count may be stale: decide under the lock
		case p.waitlist:
			p.status = StatusWaitlisted
		default:
			p.err = ErrQuotaExhausted
		}
	}
	booked, err := s.insertAll(ctx, tx, office, day, cands, now)
	if err != nil {
		return err
	}
	for _, p := range cands {
		if p.err == nil && p.status == StatusEntered {
			p.res.DrawClosesAt = st.DrawClosesAt
		}
	}
	if err := s.notifyBatch(ctx, tx, r, batch); err != nil {
		return err
	}
	// The day's row lock is taken here, as late as possible: it is held only
	// for this UPDATE, the audit append, the event and the commit. RETURNING
	// gives the event its numbers without another round trip.
	var ev QuotaEvent
	if booked > 0 {
		err := tx.QueryRow(ctx, `UPDATE quota_days SET online_booked = online_booked + $3, updated_at = $4
			WHERE office = $1 AND day = $2 AND online_booked + $3 <= online_capacity
			RETURNING online_capacity, online_booked, walkin_capacity, walkin_issued`, office, day, booked, now).
			Scan(&ev.Online.Capacity, &ev.Online.Booked, &ev.Walkin.Capacity, &ev.Walkin.Issued)
		if errors.Is(err, pgx.ErrNoRows) {
			if !lock {
				return errPessimistic
			}
			return fmt.Errorf("quota %s %s: counter refused %d seats", office, dayString(day), booked)
		}
		if err != nil {
			return err
		}
	}
	if err := s.auditBatch(ctx, tx, r, batch, now); err != nil {
		return err
	}
	if booked > 0 {
		return publishEvent(ctx, tx, office, day, ev, now)
	}
	return nil
}

// precheck answers what needs no seat: a NIK twice in the batch or already
// active, a phone at its limit. The phones' advisory locks (taken in key
// order, so never a deadlock) make the limit exact across batches and
// instances; the NIK race is settled by the partial unique index.
func (s *Service) precheck(ctx context.Context, tx pgx.Tx, batch []*pending) ([]*pending, error) {
	var niks, phones []string
	var keys []int64
	for _, p := range batch {
		niks = append(niks, p.req.NIK)
		if !slices.Contains(phones, p.req.Phone) {
			phones = append(phones, p.req.Phone)
			h := fnv.New64a()
			h.Write([]byte("quota-phone:" + p.req.Phone))
			keys = append(keys, int64(h.Sum64()))
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	// One round trip: the locks, then both reads, in this order on the wire.
	// Custom plans: a generic plan cached while bookings was nearly empty
	// would scan the whole table for every batch once it has grown.
	br := tx.SendBatch(ctx, &pgx.Batch{QueuedQueries: []*pgx.QueuedQuery{
		{SQL: `SET LOCAL plan_cache_mode = force_custom_plan`},
		{SQL: `SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) WITH ORDINALITY AS t(k, i) ORDER BY i`, Arguments: []any{keys}},
		{SQL: `SELECT nik FROM bookings WHERE nik = ANY($1) AND status IN ` + activeSQL, Arguments: []any{niks}},
		{SQL: `SELECT phone, count(*)::int FROM bookings WHERE phone = ANY($1) AND status IN ` + activeSQL + ` GROUP BY phone`, Arguments: []any{phones}},
	}})
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return nil, err
	}
	if _, err := br.Exec(); err != nil {
		return nil, err
	}
	active := map[string]bool{}
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	actives, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	for _, n := range actives {
		active[n] = true
	}
	count := map[string]int{}
	rows, err = br.Query()
	if err != nil {
		return nil, err
	}
	var p string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&p, &n}, func() error { count[p] = n; return nil }); err != nil {
		return nil, err
	}
	if err := br.Close(); err != nil {
		return nil, err
	}
	var cands []*pending
	for _, p := range batch {
		switch {
		case active[p.req.NIK]:
			p.err = ErrActiveBookingExists
		case count[p.req.Phone] >= MaxActivePerPhone:
			p.err = ErrPhoneLimit
		default:
			active[p.req.NIK] = true
			count[p.req.Phone]++
			cands = append(cands, p)
		}
	}
	return cands, nil
}

// insertAll inserts the batch's bookings in one statement; a NIK that became
// active meanwhile (another batch, another instance) is skipped by ON
// CONFLICT and answered active_booking_exists, and its seat goes to the next
// request that was refused for want of one.
func (s *Service) insertAll(ctx context.Context, tx pgx.Tx, office string, day time.Time, cands []*pending, now time.Time) (int, error) {
	booked := 0
	todo := cands
	for len(todo) > 0 {
		var codes, services, niks, names, sexes, phones, statuses []string
		var births []time.Time
		var rows []*pending
		for _, p := range todo {
			if p.status == "" {
				continue
			}
			p.res.Code = newCode()
			q := p.req
			codes, services, niks, names = append(codes, p.res.Code), append(services, q.Service), append(niks, q.NIK), append(names, q.FullName)
			births, sexes, phones, statuses = append(births, q.BirthDate), append(sexes, q.Sex), append(phones, q.Phone), append(statuses, p.status)
			rows = append(rows, p)
		}
		if len(rows) == 0 {
			break
		}
		res, err := tx.Query(ctx, `INSERT INTO bookings (code, office, day, service, nik, full_name, birth_date, sex, phone,
				status, created_at, updated_at, waitlisted_at)
			SELECT c, $1, $2, sv, n, fn, bd, sx, ph, st, $3, $3, CASE WHEN st = 'waitlisted' THEN $3::timestamptz END
			FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::text[], $10::text[], $11::text[])
				AS t(c, sv, n, fn, bd, sx, ph, st)
			ON CONFLICT (nik) WHERE status IN `+activeSQL+` DO NOTHING
			RETURNING code, id`, office, day, now, codes, services, niks, names, births, sexes, phones, statuses)
		if err != nil {
			return 0, err
		}
		ids := map[string]int64{}
		for res.Next() {
			var code string
			var id int64
			if err := res.Scan(&code, &id); err != nil {
				return 0, err
			}
			ids[code] = id
		}
		if err := res.Err(); err != nil {
			return 0, err
		}
		freed := 0
		for _, p := range rows {
			id, ok := ids[p.res.Code]
			if !ok {
				if p.status == StatusBooked {
					freed++
				}
				p.status, p.err, p.res = "", ErrActiveBookingExists, Booking{}
				continue
			}
			if p.status == StatusBooked {
				booked++
			}
			p.res = p.req.booking(p.res.Code, id, p.status, now)
		}
		// Give freed seats to the next requests refused for want of one.
		todo = nil
		for _, p := range cands {
			if freed == 0 {
				break
			}
			if errors.Is(p.err, ErrQuotaExhausted) {
				p.err, p.status = nil, StatusBooked
				todo = append(todo, p)
				freed--
			}
		}
	}
	return booked, nil
}

func (q BookingRequest) booking(code string, id int64, status string, now time.Time) Booking {
	return Booking{ID: id, Code: code, Office: q.Office, Date: q.Date, Service: q.Service, Status: status, NIK: q.NIK,
		FullName: q.FullName, BirthDate: q.BirthDate, Sex: q.Sex, Phone: q.Phone, CreatedAt: now}
}

// done lists the batch's requests that got a booking.
func done(batch []*pending) []*Booking {
	var out []*Booking
	for _, p := range batch {
		if p.err == nil && p.res.ID != 0 {
			out = append(out, &p.res)
		}
	}
	return out
}

// notifyBatch queues the batch's confirmations (entries get theirs too).
func (s *Service) notifyBatch(ctx context.Context, tx pgx.Tx, r *rules, batch []*pending) error {
	var notices []Notice
	for _, b := range done(batch) {
		switch b.Status {
		case StatusBooked:
			notices = append(notices, r.notice(NoticeBooked, *b, nil))
		case StatusEntered:
			notices = append(notices, r.notice(NoticeDrawEntered, *b, nil))
		}
	}
	return s.notify(ctx, tx, notices...)
}

// auditBatch appends one entry per booking, entry or waitlist place.
func (s *Service) auditBatch(ctx context.Context, tx pgx.Tx, r *rules, batch []*pending, now time.Time) error {
	var entries []audit.Entry
	for _, b := range done(batch) {
		action := map[string]string{StatusBooked: "booking.book", StatusEntered: "booking.enter_draw", StatusWaitlisted: "booking.join_waitlist"}[b.Status]
		entries = append(entries, bookingAudit(r.Code, now, b.Phone, action, b.Code, map[string]any{"day": dayString(b.Date), "service": b.Service, "status": b.Status}))
	}
	if len(entries) == 0 {
		return nil
	}
	return audit.Append(ctx, tx, entries...)
}

func bookingAudit(office string, at time.Time, phone, action, code string, data any) audit.Entry {
	return audit.Entry{Office: office, At: at, Actor: "citizen:" + idn.MaskPhone(phone), Action: action, Subject: "booking:" + code, Data: data}
}

// notice builds a citizen notice; Key makes each event one message.
func (r *rules) notice(kind string, b Booking, extra map[string]string) Notice {
	p := map[string]string{"code": b.Code, "date": dayString(b.Date), "office": r.Code, "office_name": r.Name, "service": b.Service}
	for k, v := range extra {
		p[k] = v
	}
	key := kind + ":" + b.Code
	if k, ok := extra["key"]; ok {
		key = kind + ":" + b.Code + ":" + k
		delete(p, "key")
	}
	return Notice{Kind: kind, Phone: b.Phone, Office: r.Code, Key: key, Params: p}
}

func (s *Service) notify(ctx context.Context, tx pgx.Tx, ns ...Notice) error {
	if s.Notifier == nil || len(ns) == 0 {
		return nil
	}
	if bn, ok := s.Notifier.(BatchNotifier); ok {
		return bn.NotifyBatch(ctx, tx, ns)
	}
	for _, n := range ns {
		if err := s.Notifier.Notify(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}
