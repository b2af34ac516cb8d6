// Package sms is SPPT's messaging: providers (Twilio, log), the durable
// outbox, inbound keyword queries, subscriptions and broadcasts.
package sms

import (
	"context"
	"errors"
	"time"
)

// Outgoing is one message handed to a provider.
type Outgoing struct {
	To      string // E.164
	Channel string // "sms" or "whatsapp"
	Body    string
	Key     string // the outbox idempotency key
	Kind    string // the notice kind ("otp", "booking_confirmed", …)
	// Validity is how long the provider may keep trying to deliver; 0: its default.
	Validity time.Duration
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

// NotSentError is a failure the provider answered definitively: the message
// was not accepted (Twilio's 429 / 20429), so sending it again cannot
// duplicate it. Any other non-permanent error leaves the outcome unknown.
type NotSentError struct {
	Err error
}

func (e *NotSentError) Error() string { return "not sent: " + e.Err.Error() }
func (e *NotSentError) Unwrap() error { return e.Err }

// IsNotSent reports whether err says the provider certainly did not accept the message.
func IsNotSent(err error) bool {
	var n *NotSentError
	return errors.As(err, &n)
}

// Finder is implemented by providers that can tell whether a message whose
// send outcome is unknown (a timeout, a crash mid-request) was accepted after
// all: it looks for a message to m.To with m.Body created at or after since.
type Finder interface {
	Find(ctx context.Context, m Outgoing, since time.Time) (sid string, found bool, err error)
}

// ServerError is a provider's 5xx answer: whether it processed the request
// is unknown, but nothing is still in flight, so the check before a resend
// may run at once.
type ServerError struct {
	Err error
}

func (e *ServerError) Error() string { return "server error: " + e.Err.Error() }
func (e *ServerError) Unwrap() error { return e.Err }
