package idn

import (
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ICAO 9303 TD3 (passport book) machine-readable zone: two lines of 44
// characters from A–Z, 0–9 and the filler '<'.
const (
	mrzLineLen  = 44
	mrzNameLen  = 39 // line 1 after "P<" and the issuing state
	mrzDocLen   = 9
	mrzPersLen  = 14
	mrzFiller   = '<'
	mrzDocument = "P<" // ordinary passport, no subtype
)

// Message keys for MRZ input errors; Field names the Passport field.
const (
	KeyMRZInvalid = "mrz.invalid" // a field has characters or a length the MRZ cannot hold
	KeyMRZMissing = "mrz.missing" // a required field is empty
)

// Passport is the data printed on the data page that the MRZ encodes.
type Passport struct {
	DocumentNumber string // up to 9 of A–Z 0–9
	IssuingState   string // ICAO code, "IDN"
	Nationality    string // ICAO code, "IDN"
	Surname        string // primary identifier; a mononym (common in Indonesia) goes here
	GivenNames     string // secondary identifier, may be empty
	BirthDate      time.Time
	Sex            string // "M", "F", or "" / "X" for unspecified
	Expiry         time.Time
	PersonalNumber string // up to 14 of A–Z 0–9 '<', may be empty
}

// CheckDigit computes the ICAO 9303 check digit: 0–9 count as themselves,
// A–Z as 10–35, '<' as 0, weighted 7, 3, 1 repeating, sum mod 10. Any other
// character counts as 0 too; TD3 validates its input before calling this.
func CheckDigit(s string) int {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		sum += mrzValue(s[i]) * weights[i%3]
	}
	return sum % 10
}

func mrzValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 0
}

// TD3 renders the two MRZ lines of a passport data page.
func TD3(p Passport) ([2]string, error) {
	f, err := td3Fields(p)
	if err != nil {
		return [2]string{}, err
	}
	name, err := mrzName(p.Surname, p.GivenNames)
	if err != nil {
		return [2]string{}, err
	}
	line1 := mrzDocument + f.issuer + name
	line2 := f.doc + digit(f.doc) + f.nat +
		f.birth + digit(f.birth) + f.sex +
		f.expiry + digit(f.expiry) +
		f.personal + personalCheck(f.personal)
	// Composite check: document number + check, birth date + check,
	// expiry + check, personal number + check (positions 1–10, 14–20, 22–43).
	line2 += digit(line2[0:10] + line2[13:20] + line2[21:43])
	return [2]string{line1, line2}, nil
}

// td3Values are the fixed-width fields of line 2 (and the issuer of line 1),
// already padded.
type td3Values struct {
	doc, issuer, nat, birth, sex, expiry, personal string
}

func td3Fields(p Passport) (td3Values, error) {
	var v td3Values
	var err error
	if v.doc, err = mrzCode("document_number", p.DocumentNumber, 1, mrzDocLen, false); err != nil {
		return v, err
	}
	if v.issuer, err = mrzState("issuing_state", p.IssuingState); err != nil {
		return v, err
	}
	if v.nat, err = mrzState("nationality", p.Nationality); err != nil {
		return v, err
	}
	if v.birth, err = mrzDate("birth_date", p.BirthDate); err != nil {
		return v, err
	}
	if v.sex, err = mrzSex(p.Sex); err != nil {
		return v, err
	}
	if v.expiry, err = mrzDate("expiry", p.Expiry); err != nil {
		return v, err
	}
	v.personal, err = mrzCode("personal_number", p.PersonalNumber, 0, mrzPersLen, true)
	return v, err
}

func digit(s string) string { return string(rune('0' + CheckDigit(s))) }

// personalCheck: ICAO lets the check digit of an unused personal number be
// '<' (or 0); '<' makes "no personal number" visible on the page.
func personalCheck(padded string) string {
	if strings.Trim(padded, "<") == "" {
		return "<"
	}
	return digit(padded)
}

// mrzCode upper-cases s and pads it to width with '<' after checking it
// holds only A–Z, 0–9 (and '<' when allowFiller).
func mrzCode(field, s string, minLen, width int, allowFiller bool) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) < minLen {
		return "", fieldErr(field, KeyMRZMissing)
	}
	if len(s) > width || !mrzChars(s, allowFiller) {
		return "", fieldErr(field, KeyMRZInvalid)
	}
	return pad(s, width), nil
}

// mrzState accepts a 1–3 letter ICAO state code ("IDN", or "D" for Germany,
// which ICAO pads to "D<<").
func mrzState(field, s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return "", fieldErr(field, KeyMRZMissing)
	}
	if len(s) > 3 || strings.ContainsAny(s, "0123456789<") || !mrzChars(s, false) {
		return "", fieldErr(field, KeyMRZInvalid)
	}
	return pad(s, 3), nil
}

func mrzDate(field string, t time.Time) (string, error) {
	if t.IsZero() {
		return "", fieldErr(field, KeyMRZMissing)
	}
	return t.Format("060102"), nil
}

func mrzSex(s string) (string, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "M":
		return "M", nil
	case "F":
		return "F", nil
	case "", "X", "<":
		return "<", nil
	}
	return "", fieldErr("sex", KeyMRZInvalid)
}

func mrzChars(s string, allowFiller bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || allowFiller && c == mrzFiller) {
			return false
		}
	}
	return true
}

func pad(s string, width int) string {
	if len(s) >= width {
		return s
	}
	return s + strings.Repeat("<", width-len(s))
}

// mrzName builds the 39-character name field: SURNAME<<GIVEN<NAMES.
//
// A mononym (common in Indonesia) belongs in Surname; if only GivenNames is
// set it is used as the primary identifier, as ICAO prescribes for a single
// name. Truncation, simplified from ICAO 9303 Part 3: the given names are cut
// first, at the field end (never leaving a trailing filler that would look
// like a complete name); if the surname alone fills the field it is cut to 39
// characters and the given names are dropped. The surname is always kept.
func mrzName(surname, given string) (string, error) {
	s, g := mrzTransliterate(surname), mrzTransliterate(given)
	if s == "" {
		s, g = g, ""
	}
	if s == "" {
		return "", fieldErr("surname", KeyMRZMissing)
	}
	if len(s) >= mrzNameLen {
		return s[:mrzNameLen], nil
	}
	room := mrzNameLen - len(s) - 2 // two fillers separate surname and given names
	if g == "" || room <= 0 {
		return pad(s, mrzNameLen), nil
	}
	if len(g) > room {
		g = strings.TrimRight(g[:room], "<")
	}
	return pad(s+"<<"+g, mrzNameLen), nil
}

// mrzTranslit holds letters that NFKD leaves whole (they are letters of
// their own, not a letter with a mark), spelled as ICAO 9303 Part 3 does.
// Every other Latin letter is decomposed by NFKD and keeps its base letter
// (DOMAIN.md: "normalise to NFKD, drop diacritics"), so Ä is A and Ü is U,
// as the watchlist's name keys spell them too.
var mrzTranslit = map[rune]string{
	'Æ': "AE", 'Ø': "OE", 'Œ': "OE", 'ß': "SS", 'ẞ': "SS", 'Þ': "TH",
	'Ð': "D", 'Đ': "D", 'Ħ': "H", 'Ł': "L", 'Ŋ': "N", 'Ŧ': "T", 'ı': "I",
}

// mrzTransliterate upper-cases a name part and maps it onto A–Z and '<':
// apostrophes are dropped, spaces, hyphens and commas become '<', accents
// are stripped, and anything else that is not A–Z (digits, periods, letters
// of non-Latin scripts) is dropped. Runs of '<' collapse to one and leading
// or trailing fillers are removed, so "Anna  Maria " gives "ANNA<MARIA".
func mrzTransliterate(s string) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		r = unicode.ToUpper(r)
		switch {
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r == '\'' || r == '’' || r == '‘' || r == 'ʼ' || r == '`':
			// dropped: O'NEIL -> ONEIL
		case unicode.IsSpace(r) || r == '-' || r == ',':
			b.WriteByte(mrzFiller)
		case mrzTranslit[r] != "":
			b.WriteString(mrzTranslit[r])
		default:
			b.WriteString(baseLetters(r))
		}
	}
	return collapseFillers(b.String())
}

// baseLetters decomposes r by NFKD (É -> E + U+0301, the ligature ﬁ -> fi,
// a full-width Ａ -> A) and keeps only the letters A–Z, upper-cased.
func baseLetters(r rune) string {
	var b strings.Builder
	for _, d := range norm.NFKD.String(string(r)) {
		d = unicode.ToUpper(d)
		if d >= 'A' && d <= 'Z' {
			b.WriteRune(d)
		}
	}
	return b.String()
}

// collapseFillers turns runs of '<' into one and trims them at both ends.
func collapseFillers(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == mrzFiller && (b.Len() == 0 || i+1 == len(s) || s[i+1] == mrzFiller) {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
