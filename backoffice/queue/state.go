package queue

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/civil"
)

// RecentCalls is how many of the latest calls the queue state lists.
const RecentCalls = 8

// State is an office's queue now: what displays and booth screens show.
type State struct {
	Office      string         `json:"office"`
	OfficeName  string         `json:"office_name"`
	Timezone    string         `json:"timezone"`
	Date        string         `json:"date"`
	Serving     []TicketCall   `json:"serving"` // latest call first
	Waiting     int            `json:"waiting"`
	WaitingBy   map[string]int `json:"waiting_by_service"`
	RunningText string         `json:"running_text"`
	Quota       any            `json:"quota"`
}

// State reads an office's queue of today (office time zone).
func (q *Service) State(ctx context.Context, office string) (State, error) {
	now := q.Clock.Now()
	day, err := q.Day(ctx, office, now)
	if err != nil {
		return State{}, err
	}
	s := State{Office: office, Date: civil.Date(day), Serving: []TicketCall{}, WaitingBy: map[string]int{}}
	for _, svc := range civil.Services {
		s.WaitingBy[svc] = 0
	}
	if err := q.Pool.QueryRow(ctx, `SELECT name, running_text, timezone FROM offices WHERE code = $1`, office).Scan(&s.OfficeName, &s.RunningText, &s.Timezone); err != nil {
		return s, err
	}
	rows, err := q.Pool.Query(ctx, `SELECT number, booth, service, called_at FROM queue_tickets
		WHERE office = $1 AND day = $2 AND status = 'called' ORDER BY called_at DESC, id DESC LIMIT $3`, office, day, RecentCalls)
	if err != nil {
		return s, err
	}
	s.Serving, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (TicketCall, error) {
		var c TicketCall
		err := r.Scan(&c.Ticket, &c.Booth, &c.Service, &c.CalledAt)
		return c, err
	})
	if err != nil {
		return s, err
	}
	rows, err = q.Pool.Query(ctx, `SELECT service, count(*) FROM queue_tickets
		WHERE office = $1 AND day = $2 AND status = 'waiting' GROUP BY service`, office, day)
	if err != nil {
		return s, err
	}
	var svc string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&svc, &n}, func() error {
		s.WaitingBy[svc] = n
		s.Waiting += n
		return nil
	}); err != nil {
		return s, err
	}
	if q.Seats != nil {
		s.Quota, err = q.Seats.Today(ctx, office, day)
	}
	return s, err
}

// Current is the ticket a booth is serving now ("" when none) and how often it was recalled.
func (q *Service) Current(ctx context.Context, office string, booth int) (TicketCall, int, error) {
	now := q.Clock.Now()
	day, err := q.Day(ctx, office, now)
	if err != nil {
		return TicketCall{}, 0, err
	}
	var c TicketCall
	var recalls int
	err = q.Pool.QueryRow(ctx, `SELECT number, booth, service, called_at, recalls FROM queue_tickets
		WHERE office = $1 AND day = $2 AND booth = $3 AND status = 'called'`, office, day, booth).Scan(&c.Ticket, &c.Booth, &c.Service, &c.CalledAt, &recalls)
	if errors.Is(err, pgx.ErrNoRows) {
		return TicketCall{}, 0, nil
	}
	return c, recalls, err
}
