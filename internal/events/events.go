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
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(Event{Office: office, Type: typ, Data: raw, At: at})
	if err != nil {
		return err
	}
	if len(payload) > 7900 { // NOTIFY payloads stop at 8000 bytes
		return fmt.Errorf("event %s too large (%d bytes)", typ, len(payload))
	}
	_, err = tx.Exec(ctx, "SELECT pg_notify($1, $2)", Channel, string(payload))
	return err
}
