package queue

import (
	"context"

	"github.com/sppt/sppt/backoffice/application"
)

// Serving is who stands at the booth: the called ticket's application, read
// through its owner. A walk-in has none until the desk takes them in.
type Serving struct {
	Ticket   string
	Walkin   bool
	No       string // application number
	FullName string
	Service  string
}

// serving is the applicant behind today's ticket number at office.
func (q *Service) serving(ctx context.Context, office, ticket string) (*Serving, error) {
	day, err := q.Day(ctx, office, q.Clock.Now())
	if err != nil {
		return nil, err
	}
	var appID *int64
	var service string
	if err := q.Pool.QueryRow(ctx, `SELECT application_id, service FROM queue_tickets WHERE office = $1 AND day = $2 AND number = $3`,
		office, day, ticket).Scan(&appID, &service); err != nil {
		return nil, err
	}
	s := &Serving{Ticket: ticket, Service: service, Walkin: appID == nil}
	if appID == nil {
		return s, nil
	}
	it, err := (&application.Store{Pool: q.Pool}).ByID(ctx, *appID)
	if err != nil {
		return nil, err
	}
	s.No, s.FullName, s.Service = it.No, it.FullName, it.Service
	return s, nil
}
