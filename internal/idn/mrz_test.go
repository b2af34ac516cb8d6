package idn

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// specimen is the ICAO 9303 TD3 specimen (Anna Maria Eriksson, Utopia).
var specimen = Passport{
	DocumentNumber: "L898902C3",
	IssuingState:   "UTO",
	Nationality:    "UTO",
	Surname:        "Eriksson",
	GivenNames:     "Anna Maria",
	BirthDate:      date(1974, 8, 12),
	Sex:            "F",
	Expiry:         date(2012, 4, 15),
	PersonalNumber: "ZE184226B",
}

func TestTD3Specimen(t *testing.T) {
	got, err := TD3(specimen)
	if err != nil {
		t.Fatal(err)
	}
	want := [2]string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
	}
	if got != want {
		t.Errorf("TD3(specimen) =\n%s\n%s\nwant\n%s\n%s", got[0], got[1], want[0], want[1])
	}
}

func TestCheckDigit(t *testing.T) {
	for s, want := range map[string]int{
		"L898902C3":      6,
		"740812":         2,
		"120415":         9,
		"ZE184226B<<<<<": 1,
		"L898902C3674081221204159ZE184226B<<<<<1": 0, // the specimen's composite
		"":    0,
		"<<<": 0,
		"A":   0, // 10*7 = 70
		"Z":   5, // 35*7 = 245
		"1":   7,
		"01":  3,
		"001": 1,
	} {
		if got := CheckDigit(s); got != want {
			t.Errorf("CheckDigit(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestMRZTransliterate(t *testing.T) {
	for in, want := range map[string]string{
		"Anna  Maria ":          "ANNA<MARIA",
		"O'Brien":               "OBRIEN",
		"D’Arcy":                "DARCY",
		"Jean-Luc":              "JEAN<LUC",
		"Muh. Ali":              "MUH<ALI",
		"José María":            "JOSE<MARIA",
		"Jose\u0301":            "JOSE",
		"Müller":                "MULLER",
		"Ångström":              "ANGSTROM",
		"Ĳsbrand":               "IJSBRAND",
		"Ｓｉｔｉ":                  "SITI",  // full-width forms: NFKD
		"Raﬁq":                  "RAFIQ", // the fi ligature: NFKD
		"Nguyễn Thị":            "NGUYEN<THI",
		"Ni Ketut Ayu'":         "NI<KETUT<AYU",
		"Æsa":                   "AESA",
		"Øster":                 "OESTER",
		"Straße":                "STRASSE",
		"Łukasz":                "LUKASZ",
		"Þór":                   "THOR",
		"İbrahim":               "IBRAHIM",
		"Ni Luh Putu":           "NI<LUH<PUTU",
		"Smith, John":           "SMITH<JOHN",
		"محمد":                  "",
		" - ":                   "",
		"Ali 2nd":               "ALI<ND",
		"Siti\tNurhaliza\u00a0": "SITI<NURHALIZA",
	} {
		if got := mrzTransliterate(in); got != want {
			t.Errorf("mrzTransliterate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMRZName(t *testing.T) {
	tests := []struct {
		name, surname, given, want string
	}{
		{"specimen", "Eriksson", "Anna Maria", "ERIKSSON<<ANNA<MARIA"},
		{"mononym in surname", "Sukarno", "", "SUKARNO"},
		{"mononym in given names", "", "Sukarno", "SUKARNO"},
		{"surname not Latin", "محمد", "Ali", "ALI"},
		{"given names cut at the end", "Wicaksono", "Muhammad Rizky Pratama Adi Nugroho Saputra",
			"WICAKSONO<<MUHAMMAD<RIZKY<PRATAMA<ADI<N"},
		{"cut on a filler leaves no dangling separator", "Wicaksono", "Muhammad Rizky Pratama Adix Nugroho",
			"WICAKSONO<<MUHAMMAD<RIZKY<PRATAMA<ADIX"},
		{"surname leaves no room", strings.Repeat("A", 37), "Budi", strings.Repeat("A", 37)},
		{"surname leaves room for one", strings.Repeat("A", 36), "Budi", strings.Repeat("A", 36) + "<<B"},
		{"surname fills the field", strings.Repeat("A", 39), "Budi", strings.Repeat("A", 39)},
		{"surname too long", strings.Repeat("AB", 25), "Budi", strings.Repeat("AB", 19) + "A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mrzName(tt.surname, tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if want := pad(tt.want, 39); got != want {
				t.Errorf("mrzName = %q, want %q", got, want)
			}
		})
	}
}

func TestTD3Indonesian(t *testing.T) {
	p := Passport{
		DocumentNumber: "e1234567", IssuingState: "idn", Nationality: "IDN",
		Surname: "Nurhaliza", GivenNames: "Siti", BirthDate: date(1990, 10, 20), Sex: "F",
		Expiry: date(2035, 10, 19),
	}
	got, err := TD3(p)
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != "P<IDNNURHALIZA<<SITI<<<<<<<<<<<<<<<<<<<<<<<<" {
		t.Errorf("line 1 %q", got[0])
	}
	// No personal number: fillers and a '<' check digit.
	if !strings.HasPrefix(got[1], "E1234567<") || got[1][28:43] != "<<<<<<<<<<<<<<<" {
		t.Errorf("line 2 %q", got[1])
	}
	assertTD3(t, got)
}

func TestTD3Errors(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Passport)
		field  string
		key    string
	}{
		{"no document number", func(p *Passport) { p.DocumentNumber = "" }, "document_number", KeyMRZMissing},
		{"document number too long", func(p *Passport) { p.DocumentNumber = "L898902C3X" }, "document_number", KeyMRZInvalid},
		{"document number hyphen", func(p *Passport) { p.DocumentNumber = "L898-902" }, "document_number", KeyMRZInvalid},
		{"document number filler", func(p *Passport) { p.DocumentNumber = "L898<902" }, "document_number", KeyMRZInvalid},
		{"no issuing state", func(p *Passport) { p.IssuingState = "" }, "issuing_state", KeyMRZMissing},
		{"issuing state digit", func(p *Passport) { p.IssuingState = "ID1" }, "issuing_state", KeyMRZInvalid},
		{"nationality too long", func(p *Passport) { p.Nationality = "INDO" }, "nationality", KeyMRZInvalid},
		{"no birth date", func(p *Passport) { p.BirthDate = time.Time{} }, "birth_date", KeyMRZMissing},
		{"no expiry", func(p *Passport) { p.Expiry = time.Time{} }, "expiry", KeyMRZMissing},
		{"sex", func(p *Passport) { p.Sex = "Q" }, "sex", KeyMRZInvalid},
		{"personal number too long", func(p *Passport) { p.PersonalNumber = "3273056010900009" }, "personal_number", KeyMRZInvalid},
		{"personal number lower-case ok but ü not", func(p *Passport) { p.PersonalNumber = "ü" }, "personal_number", KeyMRZInvalid},
		{"no Latin name at all", func(p *Passport) { p.Surname, p.GivenNames = "محمد", "" }, "surname", KeyMRZMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := specimen
			tt.modify(&p)
			_, err := TD3(p)
			if want := (FieldError{Field: tt.field, Key: tt.key}); !errors.Is(err, want) {
				t.Errorf("TD3 = %v, want %v", err, want)
			}
		})
	}
}

func TestTD3Variants(t *testing.T) {
	p := specimen
	p.IssuingState, p.Sex, p.DocumentNumber, p.PersonalNumber = "D", "", "c01x00t47", "ab<12"
	got, err := TD3(p)
	if err != nil {
		t.Fatal(err)
	}
	if got[0][2:5] != "D<<" || got[1][20] != '<' || got[1][:9] != "C01X00T47" || got[1][28:33] != "AB<12" {
		t.Errorf("TD3 = %q", got)
	}
	assertTD3(t, got)
}

// assertTD3 checks shape and recomputes every check digit of line 2.
func assertTD3(t *testing.T, l [2]string) {
	t.Helper()
	for _, line := range l {
		if len(line) != 44 || strings.Trim(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<") != "" {
			t.Fatalf("bad MRZ line %q", line)
		}
	}
	if !strings.HasPrefix(l[0], "P<") {
		t.Fatalf("line 1 %q does not start P<", l[0])
	}
	two := l[1]
	checks := []struct {
		data string
		at   int
	}{{two[0:9], 9}, {two[13:19], 19}, {two[21:27], 27}, {two[0:10] + two[13:20] + two[21:43], 43}}
	for _, c := range checks {
		if int(two[c.at]-'0') != CheckDigit(c.data) {
			t.Fatalf("check digit at %d of %q wrong", c.at, two)
		}
	}
	if pc := two[42]; pc != '<' && int(pc-'0') != CheckDigit(two[28:42]) {
		t.Fatalf("personal number check digit of %q wrong", two)
	}
}

func FuzzTD3(f *testing.F) {
	f.Add("L898902C3", "UTO", "UTO", "Eriksson", "Anna Maria", "F", "ZE184226B", int64(145497600), int64(1334448000))
	f.Add("E1234567", "IDN", "IDN", "Nurhaliza", "Siti", "", "", int64(656380800), int64(2076364800))
	f.Add("", "", "", "", "", "", "", int64(0), int64(0))
	f.Fuzz(func(t *testing.T, doc, issuer, nat, surname, given, sex, personal string, birth, expiry int64) {
		p := Passport{doc, issuer, nat, surname, given, time.Unix(birth, 0).UTC(), sex, time.Unix(expiry, 0).UTC(), personal}
		l, err := TD3(p)
		if err != nil {
			var fe FieldError
			if !errors.As(err, &fe) || (fe.Key != KeyMRZInvalid && fe.Key != KeyMRZMissing) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		assertTD3(t, l)
	})
}
