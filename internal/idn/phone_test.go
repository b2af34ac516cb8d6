package idn

import (
	"errors"
	"regexp"
	"testing"
)

var mobileE164 = regexp.MustCompile(`^\+628\d{7,12}$`)

func TestNormalizeMobile(t *testing.T) {
	tests := []struct {
		in, want, key string // key "" = valid
	}{
		{"081234567890", "+6281234567890", ""},
		{"0812-3456-7890", "+6281234567890", ""},
		{"0812 3456 7890", "+6281234567890", ""},
		{"6281234567890", "+6281234567890", ""},
		{"+6281234567890", "+6281234567890", ""},
		{"+62 812-3456-7890", "+6281234567890", ""},
		{"+62 0812 3456 7890", "+6281234567890", ""}, // both prefixes, a common slip
		{"\u00a00812\u00a03456 7890\t\n", "+6281234567890", ""},
		{"0812345678", "+62812345678", ""},         // shortest (9-digit NSN)
		{"+62812345678901", "+62812345678901", ""}, // longest (12-digit NSN)
		{"085712345678", "+6285712345678", ""},     // Indosat
		{"088123456789", "+6288123456789", ""},     // Smartfren
		{"", "", KeyPhoneInvalid},
		{"abc", "", KeyPhoneInvalid},
		{"0812345", "", KeyPhoneInvalid},
		{"+62812", "", KeyPhoneInvalid},
		{"+628123456789012", "", KeyPhoneInvalid},
		{"08123456789a", "", KeyPhoneInvalid},
		{"(0812) 3456 7890", "", KeyPhoneInvalid},
		{"++6281234567890", "", KeyPhoneInvalid},
		{"+1 415 555 2671", "", KeyPhoneInvalid}, // not Indonesian
		{"+60123456789", "", KeyPhoneInvalid},    // Malaysian mobile
		{"81234567890", "", KeyPhoneInvalid},     // no prefix at all
		{"021 5000 0000", "", KeyPhoneNotMobile}, // Jakarta fixed line
		{"+62 22 1234567", "", KeyPhoneNotMobile},
		{"0800 1234 567", "", KeyPhoneNotMobile}, // toll-free starts with 8 too
	}
	for _, tt := range tests {
		got, err := NormalizeMobile(tt.in)
		if tt.key == "" {
			if err != nil || got != tt.want {
				t.Errorf("NormalizeMobile(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if want := (FieldError{Field: "phone", Key: tt.key}); !errors.Is(err, want) || got != "" {
			t.Errorf("NormalizeMobile(%q) = %q, %v; want %v", tt.in, got, err, want)
		}
	}
}

func TestParseSender(t *testing.T) {
	tests := []struct {
		in, e164, channel string
		ok                bool
	}{
		{"+6281234567890", "+6281234567890", "sms", true},
		{"whatsapp:+6281234567890", "+6281234567890", "whatsapp", true},
		{"WhatsApp:+6281234567890", "+6281234567890", "whatsapp", true},
		{" whatsapp:+6281234567890 ", "+6281234567890", "whatsapp", true},
		{"whatsapp:+14155238886", "", "whatsapp", false},
		{"whatsapp:", "", "whatsapp", false},
		{"whats", "", "sms", false},
		{"+622150000000", "", "sms", false},
	}
	for _, tt := range tests {
		e164, ch, err := ParseSender(tt.in)
		if e164 != tt.e164 || ch != tt.channel || (err == nil) != tt.ok {
			t.Errorf("ParseSender(%q) = %q, %q, %v", tt.in, e164, ch, err)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+628123456789":  "+62812****789",
		"+6281234567890": "+62812*****890",
		"":               "",
		"+6281":          "*****",
	} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzNormalizeMobile(f *testing.F) {
	for _, s := range []string{"081234567890", "+62 812-3456-7890", "6281234567890", "021 5000 0000",
		"0800 1234 567", "+62 0812 3456 7890", "whatsapp:+6281234567890", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := NormalizeMobile(s)
		if err != nil {
			var fe FieldError
			if !errors.As(err, &fe) || fe.Field != "phone" || (fe.Key != KeyPhoneInvalid && fe.Key != KeyPhoneNotMobile) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if !mobileE164.MatchString(out) {
			t.Fatalf("NormalizeMobile(%q) = %q, not +628…", s, out)
		}
		if again, err := NormalizeMobile(out); err != nil || again != out {
			t.Fatalf("not idempotent: %q -> %q, %v", out, again, err)
		}
		if e, ch, err := ParseSender("whatsapp:" + out); err != nil || e != out || ch != ChannelWhatsApp {
			t.Fatalf("ParseSender(whatsapp:%s) = %q, %q, %v", out, e, ch, err)
		}
	})
}
