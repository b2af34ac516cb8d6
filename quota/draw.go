package quota

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sppt/sppt/internal/audit"
)

// Fair release. While a released day's draw window is open, requests are
// entries (no seat, no advantage in being first). At the close a 32-byte seed
// is drawn from crypto/rand and recorded with the entry list in quota_draws,
// and seats go in the order DrawOrder gives; the rest join the waitlist in
// that same order.

// DrawEntry is one entry as recorded: its booking code and its group, the
// entrant's phone numbered by first appearance in code order.
type DrawEntry struct {
	Code  string `json:"code"`
	Group int    `json:"group"`
}

// DrawOrder is the draw's order, a pure function of the seed and the entry
// list that anyone can recompute:
//
//	key(e)   = SHA-256(seed || e.Code)
//	round(e) = e's rank by key among the entries of its group (0 for the
//	           lowest key)
//	order    = entries sorted by (round, key)
//
// Rounds make a draw per phone, not per entry: every phone's first entry is
// placed before any phone's second, so stacking five NIKs on one account (a
// broker's trick) buys no better odds for the first seat.
func DrawOrder(seed []byte, entries []DrawEntry) []string {
	type keyed struct {
		code  string
		group int
		key   [32]byte
		round int
	}
	ks := make([]keyed, len(entries))
	for i, e := range entries {
		ks[i] = keyed{code: e.Code, group: e.Group, key: sha256.Sum256(append(slices.Clone(seed), e.Code...))}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return bytes.Compare(a.key[:], b.key[:]) })
	seen := map[int]int{}
	for i := range ks {
		ks[i].round = seen[ks[i].group]
		seen[ks[i].group]++
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return a.round - b.round })
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.code
	}
	return out
}

// Draw is a recorded draw (quota_draws).
type Draw struct {
	Office   string
	Day      time.Time
	Seed     []byte
	ClosedAt time.Time
	Seats    int
	Winners  int
	Entries  []DrawEntry
}

// GetDraw reads a recorded draw; ErrNotFound if the day had none.
func (s *Service) GetDraw(ctx context.Context, office string, day time.Time) (Draw, error) {
	d := Draw{Office: office, Day: parseDay(day)}
	var raw []byte
	err := s.Pool.QueryRow(ctx, `SELECT seed, closed_at, seats, winners, entries FROM quota_draws WHERE office = $1 AND day = $2`,
		office, d.Day).Scan(&d.Seed, &d.ClosedAt, &d.Seats, &d.Winners, &raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, err
	}
	return d, json.Unmarshal(raw, &d.Entries)
}

// NotDueError says a draw's window (or an offer) has not closed yet.
type NotDueError struct{ Wait time.Duration }

func (e *NotDueError) Error() string { return fmt.Sprintf("not due for %s", e.Wait) }

// CloseDraw runs an office-day's draw once its window has closed; a draw
// already run is left alone. NotDueError while the window is open.
func (s *Service) CloseDraw(ctx context.Context, office string, day time.Time) error {
	day = parseDay(day)
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		r, err := loadRules(ctx, tx, office)
		if err != nil {
			return err
		}
		row, err := lockDay(ctx, tx, office, day)
		if err != nil || !row.exists || row.drawnAt != nil || row.drawClosesAt == nil {
			return err
		}
		now := s.Clock.Now()
		if now.Before(*row.drawClosesAt) {
			return &NotDueError{Wait: row.drawClosesAt.Sub(now)}
		}
		return s.drawTx(ctx, tx, r, row, now)
	})
}

// drawTx runs the draw on a locked day row whose window has closed.
func (s *Service) drawTx(ctx context.Context, tx pgx.Tx, r *rules, row dayRow, now time.Time) error {
	rows, err := tx.Query(ctx, `SELECT `+bookingCols+` FROM bookings b WHERE office = $1 AND day = $2 AND status = 'entered' ORDER BY code`, r.Code, row.day)
	if err != nil {
		return err
	}
	list, err := pgx.CollectRows(rows, scanBooking)
	if err != nil {
		return err
	}
	groups := map[string]int{}
	entries := make([]DrawEntry, len(list))
	byCode := map[string]Booking{}
	for i, b := range list {
		if _, ok := groups[b.Phone]; !ok {
			groups[b.Phone] = len(groups) + 1
		}
		entries[i] = DrawEntry{Code: b.Code, Group: groups[b.Phone]}
		byCode[b.Code] = b
	}
	seed := make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		return err
	}
	order := DrawOrder(seed, entries)
	seats := max(0, row.onlineCap-row.onlineBooked)
	winners := min(seats, len(order))
	var winIDs, loseIDs []int64
	for i, code := range order {
		if i < winners {
			winIDs = append(winIDs, byCode[code].ID)
		} else {
			loseIDs = append(loseIDs, byCode[code].ID)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE bookings SET status = 'booked', updated_at = $2 WHERE id = ANY($1)`, winIDs, now); err != nil {
		return err
	}
	// Losers wait in draw order, as of the close (a late draw run must not
	// put them behind people who joined after it): one microsecond apiece.
	if _, err := tx.Exec(ctx, `UPDATE bookings b SET status = 'waitlisted', updated_at = $3,
		waitlisted_at = $2::timestamptz + (t.i * interval '1 microsecond')
		FROM unnest($1::bigint[]) WITH ORDINALITY AS t(id, i) WHERE b.id = t.id`, loseIDs, *row.drawClosesAt, now); err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `UPDATE quota_days SET online_booked = online_booked + $3, drawn_at = $4, updated_at = $4
		WHERE office = $1 AND day = $2 AND online_booked + $3 <= online_capacity`, r.Code, row.day, winners, now)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return errors.New("quota draw: counter refused the winners")
	}
	raw, _ := json.Marshal(entries)
	if _, err := tx.Exec(ctx, `INSERT INTO quota_draws (office, day, seed, closed_at, entry_count, seats, winners, entries)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, r.Code, row.day, seed, now, len(entries), seats, winners, raw); err != nil {
		return err
	}
	ae := []audit.Entry{{Office: r.Code, At: now, Actor: "system", Action: "quota.draw", Subject: "quota:" + r.Code + ":" + dayString(row.day),
		Data: map[string]any{"seed": hex.EncodeToString(seed), "entries": len(entries), "seats": seats, "winners": winners}}}
	var ns []Notice
	for i, code := range order {
		b := byCode[code]
		action, kind, extra := "booking.draw_won", NoticeDrawWon, map[string]string(nil)
		if i >= winners {
			action, kind, extra = "booking.draw_lost", NoticeDrawLost, map[string]string{"position": fmt.Sprint(i - winners + 1)}
		}
		ae = append(ae, bookingAudit(r.Code, now, b.Phone, action, code, map[string]any{"rank": i + 1}))
		ns = append(ns, r.notice(kind, b, extra))
	}
	if err := audit.Append(ctx, tx, ae...); err != nil {
		return err
	}
	if err := s.notify(ctx, tx, ns...); err != nil {
		return err
	}
	return publishDay(ctx, tx, r.Code, row.day, now)
}

// CloseDrawArgs is the River job that closes a draw at its window's end.
type CloseDrawArgs struct {
	Office string `json:"office"`
	Day    string `json:"day"`
}

func (CloseDrawArgs) Kind() string { return "quota_close_draw" }

type closeDrawWorker struct {
	river.WorkerDefaults[CloseDrawArgs]
	s *Service
}

func (w *closeDrawWorker) Work(ctx context.Context, job *river.Job[CloseDrawArgs]) error {
	day, err := time.Parse("2006-01-02", job.Args.Day)
	if err != nil {
		return river.JobCancel(err)
	}
	err = w.s.CloseDraw(ctx, job.Args.Office, day)
	var nd *NotDueError
	if errors.As(err, &nd) {
		return river.JobSnooze(nd.Wait)
	}
	return err
}
