package sms

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// Callback applies a delivery status callback to the message with provider
// sid. States only move forward (sent → delivered | undelivered | failed;
// a late "undelivered" never overwrites "delivered"), so callbacks arriving
// out of order or twice are harmless. Error 21610 marks the phone stopped.
func (o *Outbox) Callback(ctx context.Context, sid, twilioStatus, errorCode string) error {
	var to string
	var from []string
	switch twilioStatus {
	case "delivered", "read":
		to, from = "delivered", []string{"sent", "undelivered"}
	case "undelivered":
		to, from = "undelivered", []string{"sent"}
	case "failed":
		to, from = "failed", []string{"sent"}
	default: // queued, sending, sent, accepted…: nothing new for SPPT
		return nil
	}
	now := o.Clock.Now()
	return pgx.BeginFunc(ctx, o.Pool, func(tx pgx.Tx) error {
		var phone string
		err := tx.QueryRow(ctx, `UPDATE sms_messages SET status = $2, error = NULLIF($3, ''), updated_at = $4
			WHERE provider_sid = $1 AND status = ANY($5) RETURNING to_phone`, sid, to, errorCode, now, from).Scan(&phone)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil || errorCode != "21610" {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO sms_optouts (phone, reason, stopped_at) VALUES ($1, 'carrier', $2)
			ON CONFLICT (phone) DO NOTHING`, phone, now)
		return err
	})
}
