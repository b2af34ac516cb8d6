// Package events carries live changes (calls, quota, running text) from the
// transaction that made them to every process's subscribers. Publish sends a
// NOTIFY inside the caller's transaction, so an event exists exactly when its
// change committed; each process holds one LISTEN connection and fans out in
// memory without ever blocking on a slow subscriber.
package events

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Channel is the PostgreSQL NOTIFY channel for every SPPT event.
const Channel = "sppt_events"

// Event is one change, scoped to an office.
type Event struct {
	Office string          `json:"office"`
	Type   string          `json:"type"` // "call", "quota", "text", …
	Data   json.RawMessage `json:"data"`
	At     time.Time       `json:"at"`
}

// Publish queues an event for delivery when tx commits.
func Publish(ctx context.Context, tx pgx.Tx, office, typ string, data any, at time.Time) error {
	return PublishMany(ctx, tx, []Outgoing{{Office: office, Type: typ, Data: data}}, at)
}

// Outgoing is one event for PublishMany.
type Outgoing struct {
	Office, Type string
	Data         any
}

// PublishMany queues events, in order, with one statement: for transactions
// that commit many changes at once (group commits).
func PublishMany(ctx context.Context, tx pgx.Tx, evs []Outgoing, at time.Time) error {
	if len(evs) == 0 {
		return nil
	}
	payloads := make([]string, 0, len(evs))
	for _, e := range evs {
		raw, err := json.Marshal(e.Data)
		if err != nil {
			return err
		}
		payload, err := json.Marshal(Event{Office: e.Office, Type: e.Type, Data: raw, At: at})
		if err != nil {
			return err
		}
		if len(payload) > 7900 { // NOTIFY payloads stop at 8000 bytes
			return fmt.Errorf("event %s too large (%d bytes)", e.Type, len(payload))
		}
		payloads = append(payloads, string(payload))
	}
	if len(payloads) == 1 {
		_, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", Channel, payloads[0])
		return err
	}
	_, err := tx.Exec(ctx, `SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS u(p, n) ORDER BY n`, Channel, payloads)
	return err
}
