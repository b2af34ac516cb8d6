package devices

// Renaming a device and placing it at a booth, from the devices page and
// the API. Neither touches its token: the token names the device by id, and
// Require reads the registry on every request, so a revocation holds at once.

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/internal/httpx"
)

// Booths lists an office's booth numbers (the backoffice queue owns booths).
type Booths interface {
	BoothNumbers(ctx context.Context, office string) ([]int, error)
}

// update changes one device of office (another office's is 404) and audits it.
func (r *Registry) update(ctx context.Context, office string, id uuid.UUID, actor, action string, now time.Time,
	data map[string]any, sql string, args ...any) error {
	return pgx.BeginFunc(ctx, r.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sql, append([]any{id, office}, args...)...)
		if db.IsUnique(err, "") {
			return httpx.Invalid().Field("name", "devices.field.name_taken").OrNil()
		}
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return httpx.ErrNotFound
		}
		return audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: action, Subject: "device:" + id.String(), Data: data})
	})
}

// Rename gives a device of office a new name, unique in the office.
func (r *Registry) Rename(ctx context.Context, office string, id uuid.UUID, name, actor string, now time.Time) error {
	name = strings.TrimSpace(name)
	switch {
	case name == "" || strings.ContainsRune(name, 0):
		return httpx.Invalid().Field("name", "field.required").OrNil()
	case utf8.RuneCountInString(name) > 80:
		return httpx.Invalid().Field("name", "devices.field.name_long").OrNil()
	}
	return r.update(ctx, office, id, actor, "device.rename", now, map[string]any{"name": name},
		`UPDATE devices SET name = $3 WHERE id = $1 AND office = $2 AND revoked_at IS NULL`, name)
}

// Move places a device of office at booth (0: none, the office at large);
// the booth must be one of the office's.
func (r *Registry) Move(ctx context.Context, office string, id uuid.UUID, booth int, booths Booths, actor string, now time.Time) error {
	if booth != 0 {
		numbers, err := booths.BoothNumbers(ctx, office)
		if err != nil {
			return err
		}
		if !slices.Contains(numbers, booth) {
			return httpx.Invalid().Field("booth", "admin.device.booth_unknown").OrNil()
		}
	}
	var at *int
	if booth != 0 {
		at = &booth
	}
	return r.update(ctx, office, id, actor, "device.move", now, map[string]any{"booth": at},
		`UPDATE devices SET booth = $3 WHERE id = $1 AND office = $2 AND revoked_at IS NULL`, at)
}
