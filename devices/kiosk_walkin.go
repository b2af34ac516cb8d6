package devices

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// Walk-in keys make a walk-in request safe to repeat: the kiosk page's form
// carries a fresh random key, and the same key for the same service from the
// same kiosk returns the ticket it already got instead of taking another
// walk-in seat. Another service is another request (the form has a button
// per service), so a stale form never hands out someone else's number for
// a service they did not choose.
//
// The queue issues the ticket in its own transaction, so the key is claimed
// first (a row without a ticket), the ticket issued, then recorded. A second
// request with the key waits for the first one's ticket. Should the process
// die between issuing and recording, the key stays claimed without a ticket
// and later repeats are refused (walkin_in_progress): the key can cost a
// ticket shown to nobody, never a second seat.

var walkinKeyRe = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

const (
	// walkinKeyWait is how long a repeat waits for the first request's ticket.
	walkinKeyWait = 10 * time.Second
	// walkinKeyKeep is how long a kiosk's keys are kept (an office day and more).
	walkinKeyKeep = 48 * time.Hour
)

// newWalkinKey is a key for one walk-in form (26 base32 characters, 128+ random bits).
func newWalkinKey() string {
	return rand.Text()
}

// walkinOnce issues a walk-in ticket for kiosk d, once per key; an empty
// key issues one every time (API clients that send none).
func (s *Service) walkinOnce(ctx context.Context, d *auth.Claims, service, key string) (Ticket, error) {
	actor := DeviceActor(auth.Principal{Claims: d})
	if key == "" {
		return s.Queue.Walkin(ctx, d.Office, service, actor)
	}
	if !walkinKeyRe.MatchString(key) {
		return Ticket{}, httpx.Invalid().Field("idempotency_key", "queue.field.idempotency_key")
	}
	waitUntil := time.Now().Add(walkinKeyWait)
	for {
		claimed, err := s.claimWalkinKey(ctx, d.Subject, key, service)
		if err != nil {
			return Ticket{}, err
		}
		if claimed {
			return s.issueForKey(ctx, d, service, key, actor)
		}
		t, found, err := s.waitWalkinKey(ctx, d.Subject, key, service, waitUntil)
		if err != nil || found {
			return t, err
		}
		// The first request failed and freed the key: claim it again.
	}
}

// claimWalkinKey takes key for the kiosk, clearing the kiosk's old keys in
// the same statement; false when the key is already taken.
func (s *Service) claimWalkinKey(ctx context.Context, device, key, service string) (bool, error) {
	now := s.Clock.Now()
	tag, err := s.Registry.Pool.Exec(ctx, `WITH old AS (DELETE FROM kiosk_walkin_keys WHERE device_id = $1 AND created_at < $5)
		INSERT INTO kiosk_walkin_keys (device_id, key, service, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		device, key, service, now, now.Add(-walkinKeyKeep))
	return tag.RowsAffected() == 1, err
}

func (s *Service) issueForKey(ctx context.Context, d *auth.Claims, service, key, actor string) (Ticket, error) {
	t, err := s.Queue.Walkin(ctx, d.Office, service, actor)
	if err != nil {
		// No ticket: free the key, so the same form may try again.
		if _, derr := s.Registry.Pool.Exec(context.WithoutCancel(ctx),
			`DELETE FROM kiosk_walkin_keys WHERE device_id = $1 AND key = $2 AND service = $3 AND ticket IS NULL`, d.Subject, key, service); derr != nil {
			s.Log.Error("free walk-in key", "device", d.Subject, "err", derr)
		}
		return Ticket{}, err
	}
	raw, err := json.Marshal(t)
	if err == nil {
		_, err = s.Registry.Pool.Exec(context.WithoutCancel(ctx),
			`UPDATE kiosk_walkin_keys SET ticket = $4 WHERE device_id = $1 AND key = $2 AND service = $3`, d.Subject, key, service, raw)
	}
	if err != nil {
		// The ticket is issued; show it. Repeats of this key are refused.
		s.Log.Error("record walk-in key", "device", d.Subject, "ticket", t.Number, "err", err)
	}
	return t, nil
}

// waitWalkinKey waits for the ticket of a key another request claimed;
// found is false when that request failed and the key is free again.
func (s *Service) waitWalkinKey(ctx context.Context, device, key, service string, until time.Time) (t Ticket, found bool, err error) {
	for {
		var raw []byte
		err := s.Registry.Pool.QueryRow(ctx, `SELECT ticket FROM kiosk_walkin_keys WHERE device_id = $1 AND key = $2 AND service = $3`,
			device, key, service).Scan(&raw)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return Ticket{}, false, nil
		case err != nil:
			return Ticket{}, false, err
		case raw != nil:
			return t, true, json.Unmarshal(raw, &t)
		case time.Now().After(until):
			return Ticket{}, false, httpx.New(http.StatusConflict, "walkin_in_progress")
		}
		select {
		case <-ctx.Done():
			return Ticket{}, false, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
