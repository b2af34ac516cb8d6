package idn

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Message keys for name errors (field "full_name").
const (
	KeyNameInvalidChars = "name.invalid_chars"
	KeyNameLength       = "name.length"
)

// Name length limits, in characters (runes, after NFC normalisation).
const (
	NameMinLen = 2
	NameMaxLen = 100
)

// ValidateName checks a person's full name as written on the KTP and returns
// it tidied: NFC-normalised (so "é" typed as e + accent is one character and
// compares equal to the precomposed form), trimmed, and with every run of
// whitespace collapsed to one space.
//
// Allowed: letters of any script with their combining marks, spaces,
// apostrophes (' and ’) and hyphens. Digits and other punctuation, periods
// included, are refused: they do not occur in names on Indonesian documents
// and are how junk registrations usually look. At least one letter is needed.
func ValidateName(s string) (string, error) {
	name := collapseSpaces(norm.NFC.String(s))
	if n := utf8.RuneCountInString(name); n < NameMinLen || n > NameMaxLen {
		return "", fieldErr("full_name", KeyNameLength)
	}
	if !validNameChars(name) {
		return "", fieldErr("full_name", KeyNameInvalidChars)
	}
	return name, nil
}

// collapseSpaces trims and turns any run of Unicode whitespace (tabs,
// newlines, non-breaking spaces…) into a single ASCII space.
func collapseSpaces(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// validNameChars reports whether every rune is allowed and there is at least
// one letter. Invalid UTF-8 decodes to U+FFFD, which is not a letter.
func validNameChars(s string) bool {
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.Is(unicode.M, r), r == ' ', r == '\'', r == '’', r == '-':
		default:
			return false
		}
	}
	return letters > 0
}
