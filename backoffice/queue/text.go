package queue

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/events"
	"github.com/sppt/sppt/internal/httpx"
)

// MaxRunningText is the longest office message for displays (runes).
const MaxRunningText = 280

// SetRunningText sets the office's own running-text message (empty clears
// it) and sends it to every display ("text" event).
func (q *Service) SetRunningText(ctx context.Context, office, text, actor string) error {
	text = strings.Join(strings.Fields(text), " ")
	if !utf8.ValidString(text) || strings.ContainsFunc(text, unicode.IsControl) {
		// NUL and other controls (spacing ones are folded above) would
		// garble an LED controller's line or end it early.
		return httpx.Invalid().Field("text", "queue.field.text_control")
	}
	if utf8.RuneCountInString(text) > MaxRunningText {
		return httpx.Invalid().Field("text", "queue.field.text_length", "max", MaxRunningText)
	}
	now := q.Clock.Now()
	return pgx.BeginFunc(ctx, q.Pool, func(tx pgx.Tx) error {
		found, err := q.Offices.SetRunningText(ctx, tx, office, text)
		if err != nil {
			return err
		}
		if !found {
			return ErrOffice
		}
		if err := audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "office.running_text",
			Subject: "office:" + office, Data: map[string]string{"text": text}}); err != nil {
			return err
		}
		return events.Publish(ctx, tx, office, "text", map[string]string{"text": text}, now)
	})
}
