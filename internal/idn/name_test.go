package idn

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		in, want, key string // key "" = valid
	}{
		{"Siti Nurhaliza", "Siti Nurhaliza", ""},
		{"  Siti   Nurhaliza  ", "Siti Nurhaliza", ""},
		{"Siti\tNur\u00a0haliza\n", "Siti Nur haliza", ""},
		{"Sukarno", "Sukarno", ""},
		{"Ni Luh Putu Ayu", "Ni Luh Putu Ayu", ""},
		{"O'Brien", "O'Brien", ""},
		{"D’Arcy", "D’Arcy", ""},
		{"Jean-Luc", "Jean-Luc", ""},
		{"José", "José", ""},
		{"Jose\u0301", "José", ""}, // decomposed accent is composed (NFC)
		{"محمد", "محمد", ""},
		{"王芳", "王芳", ""},
		{"ꦱꦸꦏꦂꦤ", "ꦱꦸꦏꦂꦤ", ""}, // Javanese script: letters and vowel signs (marks)
		{"Ab", "Ab", ""},
		{strings.Repeat("a", 100), strings.Repeat("a", 100), ""},
		{strings.Repeat("é", 100), strings.Repeat("é", 100), ""}, // runes, not bytes
		{"", "", KeyNameLength},
		{"   ", "", KeyNameLength},
		{"A", "", KeyNameLength},
		{" A ", "", KeyNameLength},
		{"e\u0301", "", KeyNameLength}, // one character after NFC
		{strings.Repeat("a", 101), "", KeyNameLength},
		{"Muh. Ali", "", KeyNameInvalidChars},
		{"Ali2", "", KeyNameInvalidChars},
		{"Ali_Baba", "", KeyNameInvalidChars},
		{"Ali@home", "", KeyNameInvalidChars},
		{"Ali 😀", "", KeyNameInvalidChars},
		{"Ali\u200bBaba", "", KeyNameInvalidChars}, // zero-width space
		{"''", "", KeyNameInvalidChars},            // no letter at all
		{"- -", "", KeyNameInvalidChars},
		{"\xff\xfe", "", KeyNameInvalidChars}, // invalid UTF-8
	}
	for _, tt := range tests {
		got, err := ValidateName(tt.in)
		if tt.key == "" {
			if err != nil || got != tt.want {
				t.Errorf("ValidateName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if want := (FieldError{Field: "full_name", Key: tt.key}); !errors.Is(err, want) || got != "" {
			t.Errorf("ValidateName(%q) = %q, %v; want %v", tt.in, got, err, want)
		}
	}
}

func FuzzValidateName(f *testing.F) {
	for _, s := range []string{"Siti Nurhaliza", "  O'Brien  ", "Jose\u0301", "Muh. Ali", "ꦱꦸꦏꦂꦤ", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := ValidateName(s)
		if err != nil {
			var fe FieldError
			if !errors.As(err, &fe) || fe.Field != "full_name" || (fe.Key != KeyNameLength && fe.Key != KeyNameInvalidChars) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		n := utf8.RuneCountInString(out)
		if !utf8.ValidString(out) || n < NameMinLen || n > NameMaxLen ||
			out != strings.TrimSpace(out) || strings.Contains(out, "  ") {
			t.Fatalf("ValidateName(%q) = %q breaks an invariant", s, out)
		}
		if again, err := ValidateName(out); err != nil || again != out {
			t.Fatalf("not idempotent: %q -> %q, %v", out, again, err)
		}
	})
}
