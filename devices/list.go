package devices

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// OnlineWindow is how recently a device must have been seen to count as online
// (a device sends a heartbeat every minute or so).
const OnlineWindow = 2 * time.Minute

// Device states, as the admin page shows them.
const (
	StateOnline  = "online"
	StateOffline = "offline"
	StateNever   = "never_seen"
	StateRevoked = "revoked"
	// StatePending: created on the devices page, its code not typed yet.
	StatePending = "pending"
	// StateCodeExpired: its code was never typed and has expired.
	StateCodeExpired = "code_expired"
)

// Device is an enrolled device as an admin sees it (never its token).
type Device struct {
	ID         uuid.UUID  `json:"id"`
	Office     string     `json:"office"`
	Kind       string     `json:"kind"`
	Name       string     `json:"name"`
	State      string     `json:"state"`
	CreatedAt  time.Time  `json:"created_at"`
	LastSeenAt *time.Time `json:"last_seen_at"`
	LastStatus string     `json:"last_status,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	EnrolledAt *time.Time `json:"enrolled_at,omitempty"`
	// CodeExpiresAt: until when its enrolment code may be typed (pending devices).
	CodeExpiresAt *time.Time `json:"code_expires_at,omitempty"`
	// Booth is where the device stands (nil: the office at large).
	Booth *int `json:"booth"`
}

// List returns an office's devices by kind and name, with their state at now.
func (r *Registry) List(ctx context.Context, office string, now time.Time) ([]Device, error) {
	rows, err := r.Pool.Query(ctx, `SELECT d.id, d.office, d.kind, d.name, d.created_at, d.last_seen_at,
		coalesce(d.last_status, ''), d.revoked_at, d.enrolled_at, c.expires_at, d.booth
		FROM devices d LEFT JOIN device_enrol_codes c ON c.device_id = d.id AND c.used_at IS NULL
		WHERE d.office = $1 ORDER BY d.kind, d.name`, office)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Device, error) {
		var d Device
		if err := row.Scan(&d.ID, &d.Office, &d.Kind, &d.Name, &d.CreatedAt, &d.LastSeenAt, &d.LastStatus, &d.RevokedAt, &d.EnrolledAt, &d.CodeExpiresAt, &d.Booth); err != nil {
			return d, err
		}
		d.State = state(d, now)
		return d, nil
	})
}

func state(d Device, now time.Time) string {
	switch {
	case d.RevokedAt != nil:
		return StateRevoked
	case d.EnrolledAt == nil && d.CodeExpiresAt != nil && now.Before(*d.CodeExpiresAt):
		return StatePending
	case d.EnrolledAt == nil:
		return StateCodeExpired
	case d.LastSeenAt == nil:
		return StateNever
	case now.Sub(*d.LastSeenAt) <= OnlineWindow:
		return StateOnline
	}
	return StateOffline
}

// Heartbeat records what a device reports about itself (last_seen_at is
// stamped by Require on every device request).
func (r *Registry) Heartbeat(ctx context.Context, id, status string) error {
	if len(status) > 200 {
		status = strings.ToValidUTF8(status[:200], "")
	}
	_, err := r.Pool.Exec(ctx, `UPDATE devices SET last_status = NULLIF($2, '') WHERE id = $1`, id, status)
	return err
}
