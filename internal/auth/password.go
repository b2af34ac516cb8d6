package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an encoded argon2id hash.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword compares in constant time.
func CheckPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// DummyCheck spends the time of a real check, so a missing user cannot be
// told from a wrong password by timing.
func DummyCheck(pw string) { CheckPassword(dummyHash, pw) }

var dummyHash, _ = HashPassword("not-a-real-password")

// Password policy errors (NIST SP 800-63B: length, no composition rules, a blocklist).
var (
	ErrPasswordShort   = errors.New("password.too_short")
	ErrPasswordLong    = errors.New("password.too_long")
	ErrPasswordBlocked = errors.New("password.blocked")
)

// CheckPolicy applies NIST 800-63B: at least 8 characters, at most 128, not a
// commonly used or context-specific password.
func CheckPolicy(pw, username string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < 8:
		return ErrPasswordShort
	case n > 128:
		return ErrPasswordLong
	}
	lower := strings.ToLower(pw)
	if blocklist[lower] || (username != "" && strings.Contains(lower, strings.ToLower(username))) {
		return ErrPasswordBlocked
	}
	return nil
}

var blocklist = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`password password1 password123 passw0rd 12345678 123456789 1234567890 qwerty123
		qwertyuiop 11111111 00000000 abc12345 abcd1234 iloveyou sunshine princess football baseball welcome1
		admin123 administrator letmein1 trustno1 superman dragon123 monkey123 rahasia123 rahasia indonesia
		indonesia1 bismillah jakarta123 imigrasi imigrasi123 paspor123 passport passport1 sppt1234 kemenkumham
		changeme changeme1 default1 1q2w3e4r qazwsxedc`) {
		blocklist[p] = true
	}
}
