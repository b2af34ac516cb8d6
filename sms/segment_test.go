package sms

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestGSM7Tables(t *testing.T) {
	if n := utf8.RuneCountInString(gsm7Basic); n != 127 { // 128 codes minus ESC
		t.Errorf("basic table has %d characters, want 127", n)
	}
	if n := utf8.RuneCountInString(gsm7Escaped); n != 10 {
		t.Errorf("extension table has %d characters, want 10", n)
	}
	if len(gsm7Septets) != 137 {
		t.Errorf("tables overlap: %d distinct characters", len(gsm7Septets))
	}
}

func TestEncoding(t *testing.T) {
	for s, want := range map[string]string{
		"":                                GSM7,
		"KUOTA JKS 20-05: online 120/384": GSM7,
		"Harga €5 [x] {y} \\ ^ ~ | \f":    GSM7,
		"@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡¿§": GSM7,
		"ÄÖÑÜäöñüà\r\n": GSM7,
		"ç":             UCS2, // only capital Ç is in GSM 03.38
		"ê":             UCS2,
		"’":             UCS2, // a curly apostrophe is enough
		"`":             UCS2,
		"😀":             UCS2,
		"\t":            UCS2,
		"\xff":          UCS2,
	} {
		if got := Encoding(s); got != want {
			t.Errorf("Encoding(%q) = %s, want %s", s, got, want)
		}
	}
}

func TestSegments(t *testing.T) {
	a, e, ext, emoji := "a", "ê", "€", "😀"
	r := strings.Repeat
	tests := []struct {
		name string
		s    string
		n    int
		enc  string
	}{
		{"empty", "", 0, GSM7},
		{"one char", a, 1, GSM7},
		{"160 GSM-7", r(a, 160), 1, GSM7},
		{"161 GSM-7", r(a, 161), 2, GSM7},
		{"306 GSM-7", r(a, 306), 2, GSM7},
		{"307 GSM-7", r(a, 307), 3, GSM7},
		{"80 euro = 160 septets", r(ext, 80), 1, GSM7},
		{"159 + euro = 161 septets", r(a, 159) + ext, 2, GSM7},
		{"81 euro = 162 septets", r(ext, 81), 2, GSM7},
		{"escape not split at boundary", r(a, 152) + ext + r(a, 152), 3, GSM7},
		{"escape fits at boundary", r(a, 151) + ext + r(a, 153), 2, GSM7},
		{"form feed counts two", r(a, 159) + "\f", 2, GSM7},
		{"70 UCS-2", r(e, 70), 1, UCS2},
		{"71 UCS-2", r(e, 71), 2, UCS2},
		{"134 UCS-2", r(e, 134), 2, UCS2},
		{"135 UCS-2", r(e, 135), 3, UCS2},
		{"one non-GSM char turns 160 into 3", r(a, 159) + e, 3, UCS2},
		{"35 emoji = 70 units", r(emoji, 35), 1, UCS2},
		{"36 emoji = 72 units", r(emoji, 36), 2, UCS2},
		{"69 units + emoji", r(e, 69) + emoji, 2, UCS2},
		{"surrogate pair not split", r(e, 66) + emoji + r(e, 66), 3, UCS2},
		{"surrogate pair fits at boundary", r(e, 65) + emoji + r(e, 67), 2, UCS2},
	}
	for _, tt := range tests {
		if n, enc := Segments(tt.s); n != tt.n || enc != tt.enc {
			t.Errorf("%s: Segments = %d %s, want %d %s", tt.name, n, enc, tt.n, tt.enc)
		}
	}
}

// Stored texts are cut to a byte limit at a character boundary: a cut inside
// a multi-byte character would be invalid UTF-8, which PostgreSQL refuses.
func TestTruncateKeepsValidUTF8(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abcdef", 3, "abc"},
		{"ééé", 3, "é"},
		{"aé", 2, "a"},
		{"a😀b", 4, "a"},
		{"a\xffb", 8, "a\uFFFDb"},
	} {
		got := truncate(c.in, c.n)
		if got != c.want || !utf8.ValidString(got) {
			t.Errorf("truncate(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
