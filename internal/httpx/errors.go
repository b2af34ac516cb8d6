// Package httpx is SPPT's HTTP platform on Fiber v3: the one error shape of
// CONTRACT.md in Indonesian and English, request ids, logging, metrics,
// JSON binding and the OpenAPI document built from registered routes.
package httpx

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// Error is an error a caller can act on. Code is snake_case; the message a
// person reads comes from the locale key "err.<code>", filled with Params.
type Error struct {
	Status  int
	Code    string
	Params  []any
	Fields  map[string]FieldMsg
	Headers map[string]string
	Extra   map[string]any // more members of the error object, e.g. "retry_at"
}

// FieldMsg is a per-field message: locale key and its {name} parameters.
type FieldMsg struct {
	Key    string
	Params []any
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s", e.Status, e.Code) }

// New makes an Error; params fill the message's {name} placeholders in pairs.
func New(status int, code string, params ...any) *Error {
	return &Error{Status: status, Code: code, Params: params}
}

// Invalid is the 422 for input whose fields are wrong; add them with Field.
func Invalid() *Error { return New(http.StatusUnprocessableEntity, "validation_failed") }

// Field adds a wrong field with its message key.
func (e *Error) Field(name, key string, params ...any) *Error {
	if e.Fields == nil {
		e.Fields = map[string]FieldMsg{}
	}
	if _, ok := e.Fields[name]; !ok { // the first problem of a field is the one to fix first
		e.Fields[name] = FieldMsg{Key: key, Params: params}
	}
	return e
}

// With adds a member to the error object.
func (e *Error) With(k string, v any) *Error {
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra[k] = v
	return e
}

// Header sets a response header, such as Retry-After.
func (e *Error) Header(k, v string) *Error {
	if e.Headers == nil {
		e.Headers = map[string]string{}
	}
	e.Headers[k] = v
	return e
}

// HasFields reports whether any field was added.
func (e *Error) HasFields() bool { return len(e.Fields) > 0 }

// OrNil returns e when it has fields, else nil: for validators that collect.
func (e *Error) OrNil() error {
	if e.HasFields() {
		return e
	}
	return nil
}

// Common errors.
var (
	ErrNotFound     = New(http.StatusNotFound, "not_found")
	ErrUnauthorized = New(http.StatusUnauthorized, "unauthorized")
	ErrForbidden    = New(http.StatusForbidden, "forbidden")
)

// As extracts an *Error.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Busy is the 503 of a database that is down, restarting or saturated
// (db.Transient): nothing was changed and the request may be sent again
// after Retry-After.
func Busy() *Error { return BusyFor(2 * time.Second) }

// BusyFor is Busy with a given wait (whole seconds, at least 1), for a
// refusal that knows how long its backlog needs.
func BusyFor(wait time.Duration) *Error {
	e := New(http.StatusServiceUnavailable, "database_busy")
	e.Headers = map[string]string{"Retry-After": strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))}
	return e
}

// TooMany is the 429 of a throttle: Retry-After in whole seconds (at least
// 1), retry_at in the error object and {minutes} for the message.
func TooMany(code string, now, retry time.Time) *Error {
	secs := max(1, int(math.Ceil(retry.Sub(now).Seconds())))
	return New(http.StatusTooManyRequests, code, "minutes", (secs+59)/60).
		Header("Retry-After", strconv.Itoa(secs)).With("retry_at", retry.UTC().Format(time.RFC3339))
}
