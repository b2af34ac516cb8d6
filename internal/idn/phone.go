package idn

import (
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// Message keys for phone errors (field "phone").
const (
	KeyPhoneInvalid   = "phone.invalid"    // not a phone number in an accepted Indonesian form
	KeyPhoneNotMobile = "phone.not_mobile" // a real Indonesian number, but not a mobile (SMS can't reach it)
)

// Channels reported by ParseSender.
const (
	ChannelSMS      = "sms"
	ChannelWhatsApp = "whatsapp"
)

const whatsappPrefix = "whatsapp:"

// NormalizeMobile turns what a citizen types — "0812-3456-789", "62812…",
// "+62 812…" — into E.164 "+62812…". Only Indonesian mobile numbers are
// accepted because every OTP and notification goes out by SMS/WhatsApp.
//
// The country-code prefix is handled here rather than by libphonenumber:
// given region ID, it reads "62812…" as a national number and produces
// "+6262812…". libphonenumber then decides validity and number type, which
// also rejects numbers such as the 0800 toll-free range that start with 8.
func NormalizeMobile(s string) (string, error) {
	national, ok := nationalPart(stripPhoneSeparators(s))
	if !ok {
		return "", fieldErr("phone", KeyPhoneInvalid)
	}
	num, err := phonenumbers.Parse("+62"+national, "ID")
	if err != nil || !phonenumbers.IsValidNumberForRegion(num, "ID") {
		return "", fieldErr("phone", KeyPhoneInvalid)
	}
	if phonenumbers.GetNumberType(num) != phonenumbers.MOBILE {
		return "", fieldErr("phone", KeyPhoneNotMobile)
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	// Belt and braces: whatever libphonenumber's metadata says, the rest of
	// SPPT (and the database CHECK) assumes this shape.
	if !isMobileE164(e164) {
		return "", fieldErr("phone", KeyPhoneNotMobile)
	}
	return e164, nil
}

// ParseSender reads a Twilio From value: "+62812…" for SMS or
// "whatsapp:+62812…" for WhatsApp. The channel is returned even when the
// number is rejected, so the caller still knows how to answer.
func ParseSender(s string) (e164, channel string, err error) {
	s = strings.TrimSpace(s)
	channel = ChannelSMS
	if len(s) >= len(whatsappPrefix) && strings.EqualFold(s[:len(whatsappPrefix)], whatsappPrefix) {
		s, channel = s[len(whatsappPrefix):], ChannelWhatsApp
	}
	e164, err = NormalizeMobile(s)
	return e164, channel, err
}

// stripPhoneSeparators removes whitespace (any Unicode space, so a pasted
// non-breaking space does no harm) and hyphens.
func stripPhoneSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return r
	}, s)
}

// nationalPart accepts "0…", "62…" and "+62…" (plus "+620…", a common
// mix of both prefixes) and returns the digits after the prefix.
func nationalPart(s string) (string, bool) {
	switch {
	case strings.HasPrefix(s, "+620"):
		s = s[4:]
	case strings.HasPrefix(s, "+62"):
		s = s[3:]
	case strings.HasPrefix(s, "62"):
		s = s[2:]
	case strings.HasPrefix(s, "0"):
		s = s[1:]
	default:
		return "", false
	}
	if s == "" || len(s) > 15 || !allDigits(s) {
		return "", false
	}
	return s, true
}

// isMobileE164 checks ^\+628\d{7,12}$ without a regexp.
func isMobileE164(s string) bool {
	return strings.HasPrefix(s, "+628") && len(s) >= 4+7 && len(s) <= 4+12 && allDigits(s[4:])
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MaskPhone keeps the operator prefix and the last three digits for logs:
// "+628123456789" -> "+62812****789". Short input is fully masked.
func MaskPhone(e164 string) string {
	r := []rune(e164)
	if len(r) < 10 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:6]) + strings.Repeat("*", len(r)-9) + string(r[len(r)-3:])
}
