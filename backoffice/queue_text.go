package backoffice

import (
	"context"
	"strings"
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
func (q *Queue) SetRunningText(ctx context.Context, office, text, actor string) error {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) > MaxRunningText {
		return httpx.Invalid().Field("text", "queue.field.text_length", "max", MaxRunningText)
	}
	now := q.Clock.Now()
	return pgx.BeginFunc(ctx, q.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE offices SET running_text = $2 WHERE code = $1`, office, text)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrQueueOffice
		}
		if err := audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "office.running_text",
			Subject: "office:" + office, Data: map[string]string{"text": text}}); err != nil {
			return err
		}
		return events.Publish(ctx, tx, office, "text", map[string]string{"text": text}, now)
	})
}
