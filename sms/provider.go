// Package sms is SPPT's messaging: providers (Twilio, log), the durable
// outbox, inbound keyword queries, subscriptions and broadcasts.
package sms

import (
	"context"
	"errors"
)

// Outgoing is one message handed to a provider.
type Outgoing struct {
	To      string // E.164
	Channel string // "sms" or "whatsapp"
	Body    string
	Key     string // the outbox idempotency key
}

// Provider sends one message and returns the provider's id for it.
type Provider interface {
	Name() string
	Send(ctx context.Context, m Outgoing) (sid string, err error)
}

// PermanentError is a failure that retrying cannot fix (invalid number,
// recipient opted out at the carrier).
type PermanentError struct {
	Code    string
	Stopped bool // the recipient has opted out
	Err     error
}

func (e *PermanentError) Error() string { return "permanent: " + e.Code + ": " + e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// IsPermanent reports whether err must not be retried.
func IsPermanent(err error) (*PermanentError, bool) {
	var p *PermanentError
	ok := errors.As(err, &p)
	return p, ok
}
