package watchlist

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sppt/sppt/internal/idn"
)

// Columns is the CSV header an import file starts with (CONTRACT.md).
var Columns = []string{"nik", "full_name", "birth_date", "kind", "reason", "authority", "valid_from", "valid_to"}

// Refusal is why one line of an import was not taken: the field, and a
// message key (locales watchlist.json) saying what to do; Params fill it in.
type Refusal struct {
	Line   int
	Field  string
	Key    string
	Params []any
}

// Message keys of refusals.
const (
	KeyColumns   = "watchlist.import.columns"
	KeyHeader    = "watchlist.import.header"
	KeyDuplicate = "watchlist.import.duplicate"
	KeyNIK       = "watchlist.import.nik"
	KeyName      = "watchlist.import.full_name"
	KeyBirth     = "watchlist.import.birth_date"
	KeyKind      = "watchlist.import.kind"
	KeyReason    = "watchlist.import.reason"
	KeyAuthority = "watchlist.import.authority"
	KeyFrom      = "watchlist.import.valid_from"
	KeyTo        = "watchlist.import.valid_to"
	KeyToBefore  = "watchlist.import.valid_to_before"
	KeyCSV       = "watchlist.import.csv"
)

var authorityRe = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{1,31}$`)

// earliestBirth bounds birth dates: nobody listed was born before it.
var earliestBirth = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// parseRow validates one record (already the 8 columns, in Columns order)
// against today's date and returns the entry or the first refusal.
func parseRow(rec []string, line int, today time.Time) (Entry, *Refusal) {
	refuse := func(field, key string, params ...any) (Entry, *Refusal) {
		return Entry{}, &Refusal{Line: line, Field: field, Key: key, Params: params}
	}
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	var e Entry
	if e.NIK = rec[0]; e.NIK != "" {
		if _, err := idn.ParseNIKStructure(e.NIK); err != nil || len(e.NIK) != 16 {
			return refuse("nik", KeyNIK)
		}
	}
	e.FullName = strings.Join(strings.Fields(norm.NFC.String(rec[1])), " ")
	e.NameKey = idn.WatchlistKey(e.FullName)
	if n := utf8.RuneCountInString(e.FullName); n < 2 || n > 150 || e.NameKey == "" || !listNameChars(e.FullName) {
		return refuse("full_name", KeyName)
	}
	if rec[2] != "" {
		b, err := time.Parse(time.DateOnly, rec[2])
		if err != nil || b.Before(earliestBirth) || b.After(today) {
			return refuse("birth_date", KeyBirth)
		}
		e.BirthDate, e.HasBirth = b, true
	}
	if e.Kind = kindAliases[strings.ToLower(rec[3])]; e.Kind == "" {
		return refuse("kind", KeyKind)
	}
	if e.Reason = rec[4]; e.Reason == "" || utf8.RuneCountInString(e.Reason) > 500 || !utf8.ValidString(e.Reason) {
		return refuse("reason", KeyReason)
	}
	if e.Authority = strings.ToUpper(rec[5]); !authorityRe.MatchString(e.Authority) {
		return refuse("authority", KeyAuthority)
	}
	from, err := time.Parse(time.DateOnly, rec[6])
	if err != nil {
		return refuse("valid_from", KeyFrom)
	}
	e.ValidFrom = from
	if rec[7] != "" {
		to, err := time.Parse(time.DateOnly, rec[7])
		if err != nil {
			return refuse("valid_to", KeyTo)
		}
		if to.Before(from) {
			return refuse("valid_to", KeyToBefore)
		}
		e.ValidTo = to
	}
	return e, nil
}

// listNameChars is idn.ValidateName's alphabet plus the periods and commas
// that titles and degrees bring ("Hj. Siti Aminah, S.H."), which lists keep.
func listNameChars(s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.Is(unicode.M, r):
		case strings.ContainsRune(" '’-.,", r):
		default:
			return false
		}
	}
	return true
}

// identity is the re-import key (see the migration): the NIK, else the
// normalised name and the birth date, within one authority.
func (e Entry) identity() string {
	if e.NIK != "" {
		return e.Authority + "|nik|" + e.NIK
	}
	b := "-"
	if e.HasBirth {
		b = e.BirthDate.Format(time.DateOnly)
	}
	return e.Authority + "|name|" + e.NameKey + "|" + b
}
