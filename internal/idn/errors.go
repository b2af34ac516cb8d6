// Package idn validates Indonesian identifiers and personal data taken from
// citizens: the NIK (national identity number), mobile phone numbers, names,
// and renders the ICAO 9303 machine-readable zone of a passport.
//
// Everything here is pure: no database, no clock, no network. Validation
// failures are FieldError values so an HTTP handler can put each one under the
// right input field with a translatable message key.
package idn

// FieldError reports which input field was wrong and why, as a message key
// (e.g. "nik.province") that the i18n layer turns into Indonesian or English.
// It is a comparable value, so tests and callers can use errors.Is with a
// literal FieldError as well as errors.As.
type FieldError struct {
	Field string // input field name as in the API: "nik", "birth_date", "sex", "phone", "full_name", …
	Key   string // message key: "<area>.<reason>"
}

func (e FieldError) Error() string { return e.Field + ": " + e.Key }

// fieldErr keeps call sites short.
func fieldErr(field, key string) error { return FieldError{Field: field, Key: key} }
