package queue

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// DeskTicket is the ticket a booth has called, as the OSS desk takes the
// applicant in: a walk-in has no application until then.
type DeskTicket struct {
	ID            int64
	Number        string
	Service       string
	Day           time.Time
	Walkin        bool
	ApplicationNo string // "" for a walk-in not yet taken in
}

// AtBooth is the ticket booth is serving now; ErrNoCurrentTicket when none.
func (q *Service) AtBooth(ctx context.Context, office string, booth int) (DeskTicket, error) {
	day, err := q.Day(ctx, office, q.Clock.Now())
	if err != nil {
		return DeskTicket{}, err
	}
	var t DeskTicket
	var no *string
	err = q.Pool.QueryRow(ctx, `SELECT t.id, t.number, t.service, t.day, t.walkin, a.application_no
		FROM queue_tickets t LEFT JOIN applications a ON a.id = t.application_id
		WHERE t.office = $1 AND t.day = $2 AND t.booth = $3 AND t.status = 'called'`, office, day, booth).
		Scan(&t.ID, &t.Number, &t.Service, &t.Day, &t.Walkin, &no)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, ErrNoCurrentTicket
	}
	if no != nil {
		t.ApplicationNo = *no
	}
	return t, err
}

// AttachApplication links a walk-in's ticket to the application the desk
// created for it, inside the desk's transaction; false when the ticket
// already has one (another officer took the walk-in in first).
func (q *Service) AttachApplication(ctx context.Context, tx pgx.Tx, ticketID, applicationID int64) (bool, error) {
	tag, err := tx.Exec(ctx, `UPDATE queue_tickets SET application_id = $2 WHERE id = $1 AND application_id IS NULL`,
		ticketID, applicationID)
	return tag.RowsAffected() == 1, err
}
