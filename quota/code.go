package quota

import (
	"crypto/rand"
)

// codeAlphabet has no 0/O or 1/I, which people misread from a screen or a
// phone call.
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// CodeLen is the length of a booking code (32^8 ≈ 10^12 codes).
const CodeLen = 8

// newCode is a crypto-random booking code; uniqueness is the database's
// (bookings.code UNIQUE), and a clash is retried by the caller.
func newCode() string {
	b := make([]byte, CodeLen)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)] // 256 is a multiple of 32: no bias
	}
	return string(b)
}
