package sms

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Command kinds.
const (
	KindQuota  = "quota"
	KindQueue  = "queue"
	KindStatus = "status"
	KindJoin   = "join"
	KindStop   = "stop"
	KindStart  = "start"
	KindHelp   = "help"
)

// Command.Err values: the reply should be the usage hint for Kind.
const (
	ErrOfficeMissing = "office_missing"
	ErrOfficeInvalid = "office_invalid"
	ErrDateInvalid   = "date_invalid"
	ErrAppNoMissing  = "appno_missing"
	ErrAppNoInvalid  = "appno_invalid"
	ErrUnknown       = "unknown" // no keyword recognised; Kind is "help"
	// ErrJoinForeign: DAFTAR from a number that is not an Indonesian mobile
	// (set by Handle, which knows the sender; the parser does not).
	ErrJoinForeign = "join_foreign"
)

// maxAppNoLen bounds an application number in a STATUS query.
const maxAppNoLen = 32

// Command is one parsed inbound SMS/WhatsApp message.
type Command struct {
	Kind   string    // one of the Kind* constants
	Lang   string    // "id", or "en" when an English keyword was used: reply in that language
	Office string    // three upper-case letters (shape only, not checked against the office list), or ""
	Date   time.Time // KUOTA's optional date, midnight in today's location; zero if none
	AppNo  string    // STATUS's application number, upper-cased
	Ticket string    // ANTRIAN's optional queue number ("A012"), upper-cased; "" if none
	Err    string    // non-empty: reply with the usage hint for Kind (one of the Err* constants)
}

type keyword struct{ kind, lang string }

// keywords maps the first word of a message to its command. English words
// include Twilio's default opt-out/opt-in words, so what Twilio does on the
// carrier side (stop delivering) and what SPPT records always agree.
// INFO and STATUS read the same in Indonesian, so they answer in Indonesian.
var keywords = map[string]keyword{
	"KUOTA": {KindQuota, "id"}, "QUOTA": {KindQuota, "en"},
	"ANTRIAN": {KindQueue, "id"}, "QUEUE": {KindQueue, "en"},
	"STATUS": {KindStatus, "id"},
	"DAFTAR": {KindJoin, "id"}, "JOIN": {KindJoin, "en"},
	"BERHENTI": {KindStop, "id"}, "STOP": {KindStop, "en"}, "UNSUBSCRIBE": {KindStop, "en"},
	"END": {KindStop, "en"}, "QUIT": {KindStop, "en"}, "STOPALL": {KindStop, "en"},
	"REVOKE": {KindStop, "en"}, "OPTOUT": {KindStop, "en"}, "CANCEL": {KindStop, "en"},
	"MULAI": {KindStart, "id"}, "START": {KindStart, "en"}, "UNSTOP": {KindStart, "en"},
	"BANTUAN": {KindHelp, "id"}, "HELP": {KindHelp, "en"}, "INFO": {KindHelp, "id"},
}

// ParseCommand reads an inbound message. Keywords are case-insensitive and
// any whitespace (tabs, newlines, non-breaking spaces from WhatsApp) separates
// words; a trailing . , ! ? ; : on a word is ignored ("STOP." still stops).
// Words after the expected arguments are ignored, so an opt-out is honoured
// however it is phrased. today (in the office's time zone) resolves DD-MM
// dates. Anything unrecognised is a help request in Indonesian.
func ParseCommand(body string, today time.Time) Command {
	words := splitWords(body)
	if len(words) == 0 {
		return Command{Kind: KindHelp, Lang: "id", Err: ErrUnknown}
	}
	k, ok := keywords[strings.ToUpper(words[0])]
	if !ok {
		return Command{Kind: KindHelp, Lang: "id", Err: ErrUnknown}
	}
	c := Command{Kind: k.kind, Lang: k.lang}
	args := words[1:]
	switch c.Kind {
	case KindQuota:
		c.Office, c.Err = parseOffice(args)
		if c.Err == "" && len(args) > 1 {
			c.Date, c.Err = parseDate(args[1], today)
		}
	case KindQueue:
		c.Office, c.Err = parseOffice(args)
		if c.Err == "" && len(args) > 1 && ticketRE.MatchString(strings.ToUpper(args[1])) {
			c.Ticket = strings.ToUpper(args[1])
		}
	case KindJoin:
		c.Office, c.Err = parseOffice(args)
	case KindStatus:
		c.AppNo, c.Err = parseAppNo(args)
	}
	return c
}

// ticketRE is a queue number: its service's prefix and 3–5 digits.
var ticketRE = regexp.MustCompile(`^[A-F][0-9]{3,5}$`)

// splitWords splits on Unicode whitespace plus the invisible characters
// that pasted text carries (zero-width space, word joiner, BOM), and drops
// trailing sentence punctuation from each word.
func splitWords(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200b' || r == '\u2060' || r == '\ufeff'
	})
	words := fields[:0]
	for _, f := range fields {
		if f = strings.TrimRight(f, ".,!?;:"); f != "" {
			words = append(words, f)
		}
	}
	return words
}

// parseOffice takes the first argument as an office code. Only the shape is
// checked here; whether the office exists is the handler's business.
func parseOffice(args []string) (string, string) {
	if len(args) == 0 {
		return "", ErrOfficeMissing
	}
	code := strings.ToUpper(args[0])
	if len(code) != 3 || !isUpperASCII(code) {
		return "", ErrOfficeInvalid
	}
	return code, ""
}

// parseAppNo accepts 1–32 ASCII letters, digits and hyphens, with at least
// one letter or digit.
func parseAppNo(args []string) (string, string) {
	if len(args) == 0 {
		return "", ErrAppNoMissing
	}
	no := strings.ToUpper(args[0])
	if len(no) > maxAppNoLen || strings.Trim(no, "-") == "" {
		return "", ErrAppNoInvalid
	}
	for i := 0; i < len(no); i++ {
		if c := no[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return "", ErrAppNoInvalid
		}
	}
	return no, ""
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// parseDate reads DD-MM or DD/MM (the next such day on or after today),
// YYYY-MM-DD, or DD-MM-YYYY / DD/MM/YYYY, the order Indonesians write.
// The result is midnight in today's location; only its Y-M-D matter.
func parseDate(s string, today time.Time) (time.Time, string) {
	sep := "-"
	if strings.Contains(s, "/") {
		sep = "/"
	}
	p := strings.Split(s, sep)
	var t time.Time
	ok := false
	switch {
	case len(p) == 3 && len(p[0]) == 4:
		t, ok = dateOf(p[0], p[1], p[2], today.Location())
	case len(p) == 3 && len(p[2]) == 4:
		t, ok = dateOf(p[2], p[1], p[0], today.Location())
	case len(p) == 2:
		t, ok = nextDayMonth(p[0], p[1], today)
	}
	if !ok {
		return time.Time{}, ErrDateInvalid
	}
	return t, ""
}

// nextDayMonth picks this year's DD-MM, or next year's if it has passed.
// 29-02 outside a leap year and its successor is invalid rather than years away.
func nextDayMonth(ds, ms string, today time.Time) (time.Time, bool) {
	y, m, d := today.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, today.Location())
	for _, year := range []int{y, y + 1} {
		t, ok := dateOf(strconv.Itoa(year), ms, ds, today.Location())
		if ok && !t.Before(start) {
			return t, true
		}
	}
	return time.Time{}, false
}

// dateOf builds a calendar date from a 4-digit year and 1–2 digit month and
// day, refusing dates that time.Date would roll over (31-04 -> 01-05).
func dateOf(ys, ms, ds string, loc *time.Location) (time.Time, bool) {
	y, okY := number(ys, 4, 4)
	m, okM := number(ms, 1, 2)
	d, okD := number(ds, 1, 2)
	if !okY || !okM || !okD {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// number parses min–max ASCII digits (strconv alone would accept "+1").
func number(s string, minLen, maxLen int) (int, bool) {
	if len(s) < minLen || len(s) > maxLen {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
