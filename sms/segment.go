package sms

import "unicode/utf8"

// SMS encodings as reported by Encoding and Segments.
const (
	GSM7 = "GSM-7"
	UCS2 = "UCS-2"
)

// Segment sizes. A multipart message loses room in every part to the
// concatenation header (UDH), hence 153 and 67.
const (
	gsm7Single  = 160 // septets
	gsm7Multi   = 153
	ucs2Single  = 70 // UTF-16 code units
	ucs2Multi   = 67
	gsm7Basic   = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsm7Escaped = "\f^{}\\[]~|€" // extension table: ESC + char, two septets each
)

// gsm7Septets maps every GSM 03.38 character to its size in septets.
var gsm7Septets = func() map[rune]int {
	m := make(map[rune]int, 140)
	for _, r := range gsm7Basic {
		m[r] = 1
	}
	for _, r := range gsm7Escaped {
		m[r] = 2
	}
	return m
}()

// Encoding reports whether s can go as GSM-7 or needs UCS-2. A single
// character outside GSM 03.38 (an emoji, a curly quote, "ê") switches the
// whole message to UCS-2 and cuts its capacity from 160 to 70 characters,
// which is why templates are checked with this.
func Encoding(s string) string {
	for _, r := range s {
		if gsm7Septets[r] == 0 {
			return UCS2
		}
	}
	return GSM7
}

// Segments returns how many SMS parts s is billed as, and its encoding.
// Parts are filled greedily and a character is never split between parts:
// phones do not split an escaped GSM-7 character or a UTF-16 surrogate pair,
// so such a character at a boundary moves whole to the next part. An empty
// message is 0 segments (there is nothing to send).
func Segments(s string) (n int, enc string) {
	enc = Encoding(s)
	if enc == GSM7 {
		return countParts(s, gsm7Single, gsm7Multi, func(r rune) int { return gsm7Septets[r] }), enc
	}
	return countParts(s, ucs2Single, ucs2Multi, utf16Units), enc
}

// countParts fits s in one part of size single, or else in parts of size
// multi, measuring each character with width.
func countParts(s string, single, multi int, width func(rune) int) int {
	total := 0
	for _, r := range s {
		total += width(r)
	}
	switch {
	case total == 0:
		return 0
	case total <= single:
		return 1
	}
	parts, used := 1, 0
	for _, r := range s {
		w := width(r)
		if used+w > multi {
			parts, used = parts+1, 0
		}
		used += w
	}
	return parts
}

// utf16Units counts r in UTF-16: 2 for characters outside the BMP (most
// emoji), 1 otherwise. Invalid UTF-8 decodes to U+FFFD, one unit.
func utf16Units(r rune) int {
	if r >= 0x10000 && r <= utf8.MaxRune {
		return 2
	}
	return 1
}
