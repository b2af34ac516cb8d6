package queue

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/events"
	"github.com/sppt/sppt/internal/httpx"
)

// CheckIn turns a booking into an application (stage queued) and its queue
// ticket, in one transaction with the booking's check-in. Checking in twice
// returns the same ticket.
func (q *Service) CheckIn(ctx context.Context, office, code, nik, actor string) (Ticket, error) {
	now := q.Clock.Now()
	day, err := q.Day(ctx, office, now)
	if err != nil {
		return Ticket{}, err
	}
	var t Ticket
	err = pgx.BeginFunc(ctx, q.Pool, func(tx pgx.Tx) error {
		b, err := q.Seats.CheckIn(ctx, tx, code, nik, office, day, now)
		if err != nil {
			return err
		}
		if b.AlreadyCheckedIn {
			if t, err = ticketOfBooking(ctx, tx, b.ID, day); err != nil {
				return err
			}
			return q.expectInto(ctx, tx, &t, day, now)
		}
		t = Ticket{Office: office, Service: b.Service, IssuedAt: now}
		if t.Number, err = nextNumber(ctx, tx, office, day, civil.Prefix(b.Service)); err != nil {
			return err
		}
		t.ApplicationNo = application.No(office, day, t.Number)
		appID, err := application.Create(ctx, tx, application.New{No: t.ApplicationNo, Office: office, BookingID: b.ID,
			Service: b.Service, NIK: b.NIK, FullName: b.FullName, BirthDate: b.BirthDate, Sex: b.Sex, Phone: b.Phone}, now)
		if err != nil {
			return err
		}
		if err := insertTicket(ctx, tx, &t, day, &appID); err != nil {
			return err
		}
		if err := q.predict(ctx, tx, &t, day, now, b.Phone); err != nil {
			return err
		}
		return ticketIssued(ctx, tx, t, actor, "queue.checkin", map[string]any{"booking_id": b.ID, "application_no": t.ApplicationNo})
	})
	if err == nil {
		q.nudge(office) // two ahead at check-in: the text goes now
	}
	return t, err
}

// Walkin issues a walk-in ticket for service, taking a walk-in seat (a
// priority walk-in from the priority share). Pickup tickets take no seat:
// the applicant was counted when they applied.
func (q *Service) Walkin(ctx context.Context, office, service, actor string) (Ticket, error) {
	if !civil.IsService(service) {
		return Ticket{}, httpx.Invalid().Field("service", "queue.field.service")
	}
	now := q.Clock.Now()
	day, err := q.Day(ctx, office, now)
	if err != nil {
		return Ticket{}, err
	}
	t := Ticket{Office: office, Service: service, IssuedAt: now, Walkin: true}
	err = pgx.BeginFunc(ctx, q.Pool, func(tx pgx.Tx) error {
		if service != civil.ServicePickup {
			if err := q.Seats.TakeWalkin(ctx, tx, office, day, service == civil.ServicePriority, now); err != nil {
				return err
			}
		}
		var err error
		if t.Number, err = nextNumber(ctx, tx, office, day, civil.Prefix(service)); err != nil {
			return err
		}
		if err := insertTicket(ctx, tx, &t, day, nil); err != nil {
			return err
		}
		if err := q.predict(ctx, tx, &t, day, now, ""); err != nil {
			return err
		}
		return ticketIssued(ctx, tx, t, actor, "queue.walkin", map[string]any{"service": service})
	})
	return t, err
}

// ticketIssued audits a new ticket and tells displays and booth screens (event
// "ticket": they add it to the waiting counts).
func ticketIssued(ctx context.Context, tx pgx.Tx, t Ticket, actor, action string, data map[string]any) error {
	data["ticket"] = t.Number
	if err := audit.Append(ctx, tx, audit.Entry{Office: t.Office, At: t.IssuedAt, Actor: actor, Action: action,
		Subject: ticketSubject(t.Office, t.Date, t.Number), Data: data}); err != nil {
		return err
	}
	return events.Publish(ctx, tx, t.Office, "ticket", map[string]any{"ticket": t.Number, "service": t.Service,
		"action": "issued", "issued_at": t.IssuedAt}, t.IssuedAt)
}

func ticketSubject(office, date, number string) string {
	return "ticket:" + office + ":" + date + ":" + number
}

// ticketOfBooking finds the ticket issued at a booking's earlier check-in.
func ticketOfBooking(ctx context.Context, tx pgx.Tx, bookingID int64, day time.Time) (Ticket, error) {
	var t Ticket
	var d time.Time
	appID, appNo, err := application.OfBooking(ctx, tx, bookingID)
	if err != nil {
		return t, err
	}
	t.ApplicationNo = appNo
	err = tx.QueryRow(ctx, `SELECT id, number, service, office, day, issued_at FROM queue_tickets WHERE application_id = $1`, appID).
		Scan(&t.ID, &t.Number, &t.Service, &t.Office, &d, &t.IssuedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, errors.New("checked-in booking " + strconv.FormatInt(bookingID, 10) + " has no ticket")
	}
	if err != nil {
		return t, err
	}
	t.Date = civil.Date(d)
	return t, waitingAhead(ctx, tx, &t, d)
}
