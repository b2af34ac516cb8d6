package idn

import (
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ProvinceCodes lists the two-digit province codes a NIK may start with.
// It is data, not logic: province splits (Papua, 2022) changed it before and
// may again, so edit this list rather than the parser. Keep it sorted.
var ProvinceCodes = []string{
	"11", "12", "13", "14", "15", "16", "17", "18", "19", // Sumatra
	"21",                               // Kepulauan Riau
	"31", "32", "33", "34", "35", "36", // Java
	"51", "52", "53", // Bali, Nusa Tenggara
	"61", "62", "63", "64", "65", // Kalimantan
	"71", "72", "73", "74", "75", "76", // Sulawesi
	"81", "82", // Maluku
	"91", "92", "93", "94", "95", "96", // Papua
}

// Message keys for NIK errors. Structural ones belong to the "nik" field; the
// agreement ones point at the form field that disagrees with the NIK.
const (
	KeyNIKLength            = "nik.length"
	KeyNIKDigits            = "nik.digits"
	KeyNIKProvince          = "nik.province"
	KeyNIKRegency           = "nik.regency"
	KeyNIKDistrict          = "nik.district"
	KeyNIKBirthDate         = "nik.birth_date"
	KeyNIKSequence          = "nik.sequence"
	KeyNIKBirthDateMismatch = "nik.birth_date_mismatch"
	KeyNIKSexMismatch       = "nik.sex_mismatch"
	KeyBirthDateRequired    = "birth_date.required"
	KeySexInvalid           = "sex.invalid"
)

// femaleDayOffset is added to the day of birth in a woman's NIK.
const femaleDayOffset = 40

// NIK is a parsed Nomor Induk Kependudukan: PP KK CC DDMMYY NNNN.
type NIK struct {
	Number   string // the 16 digits, separators removed
	Province string // PP, e.g. "32" (Jawa Barat)
	Regency  string // KK within the province: 01–69 kabupaten, 71–99 kota
	District string // CC, kecamatan within the regency
	Day      int    // day of birth with the +40 for women removed
	Month    int    // month of birth
	YY       int    // two-digit year of birth; the century is not in the NIK
	Female   bool   // the day field carried +40
	Sequence int    // NNNN, 1–9999

	// BirthDate is the full birth date, filled in only by ParseNIK, which
	// learns the century from the form.
	BirthDate time.Time
}

// Sex returns "F" or "M", the API's encoding.
func (n NIK) Sex() string {
	if n.Female {
		return "F"
	}
	return "M"
}

// RegionCode returns the Kemendagri district code "PP.KK.CC".
func (n NIK) RegionCode() string { return n.Province + "." + n.Regency + "." + n.District }

// String masks the number so a NIK printed with %v or %s, or logged by
// accident, does not leak a citizen's identity number.
func (n NIK) String() string { return MaskNIK(n.Number) }

// LogValue does the same for log/slog.
func (n NIK) LogValue() slog.Value { return slog.StringValue(MaskNIK(n.Number)) }

// ParseNIK checks the NIK's structure and that it agrees with the birth date
// and sex the citizen entered on the form. Fake NIKs made up by brokers
// usually fail one of these. birth is used as a calendar date in its own
// location; sex is "M" or "F". The first failure is returned as a FieldError.
func ParseNIK(nik string, birth time.Time, sex string) (NIK, error) {
	n, err := ParseNIKStructure(nik)
	if err != nil {
		return NIK{}, err
	}
	if birth.IsZero() {
		return NIK{}, fieldErr("birth_date", KeyBirthDateRequired)
	}
	if sex != "M" && sex != "F" {
		return NIK{}, fieldErr("sex", KeySexInvalid)
	}
	y, m, d := birth.Date()
	// The NIK only has YY, so the form's year supplies the century: both
	// must agree on the last two digits, then the form's year is the year.
	if y%100 != n.YY || int(m) != n.Month || d != n.Day {
		return NIK{}, fieldErr("birth_date", KeyNIKBirthDateMismatch)
	}
	if n.Female != (sex == "F") {
		return NIK{}, fieldErr("sex", KeyNIKSexMismatch)
	}
	n.BirthDate = time.Date(y, m, d, 0, 0, 0, 0, birth.Location())
	return n, nil
}

// ParseNIKStructure checks what can be checked from the 16 digits alone.
// Spaces, hyphens and dots are ignored because people copy NIKs from
// documents that group the digits ("32.73.05 601090 0009").
func ParseNIKStructure(s string) (NIK, error) {
	digits, err := nikDigits(s)
	if err != nil {
		return NIK{}, err
	}
	n := NIK{
		Number:   digits,
		Province: digits[0:2],
		Regency:  digits[2:4],
		District: digits[4:6],
		YY:       atoi(digits[10:12]),
		Sequence: atoi(digits[12:16]),
	}
	if _, ok := slices.BinarySearch(ProvinceCodes, n.Province); !ok {
		return NIK{}, fieldErr("nik", KeyNIKProvince)
	}
	if r := atoi(n.Regency); r == 0 || r == 70 {
		return NIK{}, fieldErr("nik", KeyNIKRegency)
	}
	if n.District == "00" {
		return NIK{}, fieldErr("nik", KeyNIKDistrict)
	}
	if n.Day, n.Month, n.Female, err = nikBirth(digits[6:8], digits[8:10]); err != nil {
		return NIK{}, err
	}
	if n.Sequence == 0 {
		return NIK{}, fieldErr("nik", KeyNIKSequence)
	}
	return n, nil
}

// nikDigits strips separators and insists on exactly 16 ASCII digits.
func nikDigits(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '.':
			continue
		case r < '0' || r > '9':
			return "", fieldErr("nik", KeyNIKDigits)
		}
		b.WriteRune(r)
	}
	if b.Len() != 16 {
		return "", fieldErr("nik", KeyNIKLength)
	}
	return b.String(), nil
}

// nikBirth decodes DD (with +40 for women) and MM. Without the year it can
// only reject dates that exist in no year, so 29 February passes here and is
// settled by ParseNIK against the form's date.
func nikBirth(dd, mm string) (day, month int, female bool, err error) {
	day, month = atoi(dd), atoi(mm)
	if day > femaleDayOffset {
		day, female = day-femaleDayOffset, true
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), 2000) {
		return 0, 0, false, fieldErr("nik", KeyNIKBirthDate)
	}
	return day, month, female, nil
}

// daysIn returns the number of days of month m in year y; time.Date
// normalises day 0 of the next month to the last day of this one.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// atoi parses a string already known to be ASCII digits.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// MaskNIK keeps the region prefix and last two digits, enough for an officer
// to tell records apart in logs, and hides the birth date and the rest:
// "3273056010900009" -> "3273**********09". Short or odd input is fully masked.
func MaskNIK(s string) string {
	r := []rune(s)
	if len(r) < 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:4]) + strings.Repeat("*", len(r)-6) + string(r[len(r)-2:])
}
