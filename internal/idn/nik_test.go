package idn

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"
)

// example is DOMAIN.md's NIK: Jawa Barat (32), Kota Bandung (73), district 05,
// a woman (60 = 20 + 40) born 20-10-(19)90, sequence 0009.
const example = "3273056010900009"

// nik assembles a NIK from its parts so each test case shows which part it varies.
func nik(pp, kk, cc, dd, mm, yy, seq string) string { return pp + kk + cc + dd + mm + yy + seq }

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseNIKStructureExample(t *testing.T) {
	n, err := ParseNIKStructure(example)
	if err != nil {
		t.Fatal(err)
	}
	want := NIK{Number: example, Province: "32", Regency: "73", District: "05",
		Day: 20, Month: 10, YY: 90, Female: true, Sequence: 9}
	if n != want {
		t.Errorf("got %#v, want %#v", n, want)
	}
	if n.Sex() != "F" || n.RegionCode() != "32.73.05" {
		t.Errorf("Sex %q RegionCode %q", n.Sex(), n.RegionCode())
	}
}

func TestParseNIKStructure(t *testing.T) {
	tests := []struct {
		name, in, key string // key "" = valid
	}{
		{"example", example, ""},
		{"spaces", "3273 0560 1090 0009", ""},
		{"dots and hyphen", "32.73.05-601090.0009", ""},
		{"male", nik("32", "73", "05", "20", "10", "90", "0009"), ""},
		{"empty", "", KeyNIKLength},
		{"15 digits", example[:15], KeyNIKLength},
		{"17 digits", example + "1", KeyNIKLength},
		{"letter", "327305601090000X", KeyNIKDigits},
		{"fullwidth digit", "３273056010900009", KeyNIKDigits},
		{"tab separator", "3273\t056010900009", KeyNIKDigits},
		{"province 00", nik("00", "73", "05", "20", "10", "90", "0009"), KeyNIKProvince},
		{"province 10", nik("10", "73", "05", "20", "10", "90", "0009"), KeyNIKProvince},
		{"province 20", nik("20", "73", "05", "20", "10", "90", "0009"), KeyNIKProvince},
		{"province 37", nik("37", "73", "05", "20", "10", "90", "0009"), KeyNIKProvince},
		{"province 97", nik("97", "01", "05", "20", "10", "90", "0009"), KeyNIKProvince},
		{"province 11", nik("11", "01", "01", "20", "10", "90", "0001"), ""},
		{"province 21", nik("21", "71", "01", "20", "10", "90", "0001"), ""},
		{"province 96", nik("96", "01", "01", "20", "10", "90", "0001"), ""},
		{"regency 00", nik("32", "00", "05", "20", "10", "90", "0009"), KeyNIKRegency},
		{"regency 70", nik("32", "70", "05", "20", "10", "90", "0009"), KeyNIKRegency},
		{"regency 01", nik("32", "01", "05", "20", "10", "90", "0009"), ""},
		{"regency 69", nik("32", "69", "05", "20", "10", "90", "0009"), ""},
		{"regency 71", nik("32", "71", "05", "20", "10", "90", "0009"), ""},
		{"regency 99", nik("32", "99", "05", "20", "10", "90", "0009"), ""},
		{"district 00", nik("32", "73", "00", "20", "10", "90", "0009"), KeyNIKDistrict},
		{"district 99", nik("32", "73", "99", "20", "10", "90", "0009"), ""},
		{"day 00", nik("32", "73", "05", "00", "10", "90", "0009"), KeyNIKBirthDate},
		{"day 32", nik("32", "73", "05", "32", "10", "90", "0009"), KeyNIKBirthDate},
		{"day 40", nik("32", "73", "05", "40", "10", "90", "0009"), KeyNIKBirthDate},
		{"day 41 woman 1st", nik("32", "73", "05", "41", "10", "90", "0009"), ""},
		{"day 71 woman 31st", nik("32", "73", "05", "71", "10", "90", "0009"), ""},
		{"day 72", nik("32", "73", "05", "72", "10", "90", "0009"), KeyNIKBirthDate},
		{"day 99", nik("32", "73", "05", "99", "10", "90", "0009"), KeyNIKBirthDate},
		{"month 00", nik("32", "73", "05", "20", "00", "90", "0009"), KeyNIKBirthDate},
		{"month 13", nik("32", "73", "05", "20", "13", "90", "0009"), KeyNIKBirthDate},
		{"31 April", nik("32", "73", "05", "31", "04", "90", "0009"), KeyNIKBirthDate},
		{"woman 31 April", nik("32", "73", "05", "71", "04", "90", "0009"), KeyNIKBirthDate},
		{"30 February", nik("32", "73", "05", "30", "02", "90", "0009"), KeyNIKBirthDate},
		{"29 February (year unknown)", nik("32", "73", "05", "29", "02", "90", "0009"), ""},
		{"woman 29 February", nik("32", "73", "05", "69", "02", "00", "0009"), ""},
		{"sequence 0000", nik("32", "73", "05", "20", "10", "90", "0000"), KeyNIKSequence},
		{"sequence 9999", nik("32", "73", "05", "20", "10", "90", "9999"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseNIKStructure(tt.in)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("ParseNIKStructure(%q) = %v, want ok", tt.in, err)
				}
				if len(n.Number) != 16 {
					t.Errorf("Number %q not 16 digits", n.Number)
				}
				return
			}
			if want := (FieldError{Field: "nik", Key: tt.key}); !errors.Is(err, want) {
				t.Fatalf("ParseNIKStructure(%q) = %v, want %v", tt.in, err, want)
			}
		})
	}
}

func TestParseNIK(t *testing.T) {
	male2001 := nik("32", "73", "05", "15", "01", "01", "0001")  // man born 15-01-(?)01
	woman2902 := nik("32", "73", "05", "69", "02", "00", "0001") // woman born 29-02-(?)00
	tests := []struct {
		name      string
		nik       string
		birth     time.Time
		sex       string
		field     string // "" = valid
		key       string
		wantBirth time.Time
	}{
		{"example", example, date(1990, 10, 20), "F", "", "", date(1990, 10, 20)},
		{"example, man on the form", example, date(1990, 10, 20), "M", "sex", KeyNIKSexMismatch, time.Time{}},
		{"example, other day", example, date(1990, 10, 21), "F", "birth_date", KeyNIKBirthDateMismatch, time.Time{}},
		{"example, other month", example, date(1990, 11, 20), "F", "birth_date", KeyNIKBirthDateMismatch, time.Time{}},
		{"example, other year", example, date(1991, 10, 20), "F", "birth_date", KeyNIKBirthDateMismatch, time.Time{}},
		{"form date 40 days later", example, date(1990, 10, 20).AddDate(0, 0, 40), "F", "birth_date", KeyNIKBirthDateMismatch, time.Time{}},
		{"man's NIK, woman on the form", nik("32", "73", "05", "20", "10", "90", "0009"), date(1990, 10, 20), "F", "sex", KeyNIKSexMismatch, time.Time{}},
		{"born 2001", male2001, date(2001, 1, 15), "M", "", "", date(2001, 1, 15)},
		{"born 1901, same NIK", male2001, date(1901, 1, 15), "M", "", "", date(1901, 1, 15)},
		{"born 2011 does not match 01", male2001, date(2011, 1, 15), "M", "birth_date", KeyNIKBirthDateMismatch, time.Time{}},
		{"29 Feb 2000 (leap)", woman2902, date(2000, 2, 29), "F", "", "", date(2000, 2, 29)},
		{"1900 not leap: 1 Mar", woman2902, date(1900, 3, 1), "F", "birth_date", KeyNIKBirthDateMismatch, time.Time{}},
		{"structure checked first", example[:15], date(1990, 10, 20), "X", "nik", KeyNIKLength, time.Time{}},
		{"no birth date", example, time.Time{}, "F", "birth_date", KeyBirthDateRequired, time.Time{}},
		{"sex empty", example, date(1990, 10, 20), "", "sex", KeySexInvalid, time.Time{}},
		{"sex lower case", example, date(1990, 10, 20), "f", "sex", KeySexInvalid, time.Time{}},
		{"sex other", example, date(1990, 10, 20), "X", "sex", KeySexInvalid, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseNIK(tt.nik, tt.birth, tt.sex)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("ParseNIK = %v, want ok", err)
				}
				if !n.BirthDate.Equal(tt.wantBirth) || n.Sex() != tt.sex {
					t.Errorf("BirthDate %v Sex %q, want %v %q", n.BirthDate, n.Sex(), tt.wantBirth, tt.sex)
				}
				return
			}
			var fe FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field || fe.Key != tt.key {
				t.Fatalf("ParseNIK = %v, want %s: %s", err, tt.field, tt.key)
			}
			if n != (NIK{}) {
				t.Errorf("returned %#v alongside an error", n)
			}
		})
	}
}

// The form's date is a calendar date in its own zone: a WIT birth date stays
// the same day even though it is the previous day in UTC.
func TestParseNIKKeepsLocation(t *testing.T) {
	wit := time.FixedZone("WIT", 9*3600)
	n, err := ParseNIK(example, time.Date(1990, 10, 20, 0, 0, 0, 0, wit), "F")
	if err != nil {
		t.Fatal(err)
	}
	if n.BirthDate.Location() != wit || n.BirthDate.Day() != 20 {
		t.Errorf("BirthDate %v", n.BirthDate)
	}
}

func TestMaskNIK(t *testing.T) {
	for in, want := range map[string]string{
		example:    "3273**********09",
		"":         "",
		"1234567":  "*******",
		"12345678": "1234**78",
	} {
		if got := MaskNIK(in); got != want {
			t.Errorf("MaskNIK(%q) = %q, want %q", in, got, want)
		}
	}
}

// A NIK must not reach logs in clear by accident.
func TestNIKPrintsMasked(t *testing.T) {
	n, _ := ParseNIKStructure(example)
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("booking", "nik", n)
	for _, s := range []string{fmt.Sprint(n), fmt.Sprintf("%+v", n), logged.String()} {
		if strings.Contains(s, example) || !strings.Contains(s, "3273**********09") {
			t.Errorf("not masked: %s", s)
		}
	}
}

func TestProvinceCodesSorted(t *testing.T) {
	// ParseNIKStructure binary-searches the list.
	if !slices.IsSorted(ProvinceCodes) {
		t.Fatal("ProvinceCodes must stay sorted")
	}
	if len(ProvinceCodes) != 38 {
		t.Errorf("%d province codes, DOMAIN.md lists 38", len(ProvinceCodes))
	}
}

var nikKeys = []string{KeyNIKLength, KeyNIKDigits, KeyNIKProvince, KeyNIKRegency, KeyNIKDistrict,
	KeyNIKBirthDate, KeyNIKSequence, KeyNIKBirthDateMismatch, KeyNIKSexMismatch, KeyBirthDateRequired, KeySexInvalid}

func FuzzParseNIK(f *testing.F) {
	f.Add(example, 1990, 10, 20, true)
	f.Add("3273051501010001", 2001, 1, 15, false)
	f.Add("3273056902000001", 2000, 2, 29, true)
	f.Add("32.73.05 601090 0009", 1990, 10, 20, true)
	f.Add("", 0, 0, 0, false)
	f.Fuzz(func(t *testing.T, s string, y, m, d int, female bool) {
		sex := map[bool]string{true: "F", false: "M"}[female]
		birth := time.Date(y%3000, time.Month(m%13), d%32, 0, 0, 0, 0, time.UTC)
		n, err := ParseNIK(s, birth, sex)
		if err != nil {
			var fe FieldError
			if !errors.As(err, &fe) || !slices.Contains(nikKeys, fe.Key) {
				t.Fatalf("untyped or unknown error %v", err)
			}
			return
		}
		if len(n.Number) != 16 || !allDigits(n.Number) || n.Female != female || !n.BirthDate.Equal(birth) {
			t.Fatalf("inconsistent result %#v for %q %v %s", n, s, birth, sex)
		}
		again, err := ParseNIK(n.Number, birth, sex)
		if err != nil || again != n {
			t.Fatalf("canonical number does not re-parse the same: %v", err)
		}
	})
}
