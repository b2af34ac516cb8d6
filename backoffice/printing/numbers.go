package printing

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// DefaultNumberFormat is one capital letter and seven digits (A0000001…),
// the common Indonesian shape (DOMAIN.md: not verified, so configurable).
const DefaultNumberFormat = "@#######"

// NumberFormat is how passport numbers are written (PASSPORT_NUMBER_FORMAT):
// '@' is a counting capital letter, '#' a counting digit, any other A–Z or
// 0–9 a fixed character. 8 or 9 characters (the MRZ document number holds
// 9), starting with a letter or '@'. Numbers count up from the right:
// "@#######" gives A0000001 … A9999999, B0000000 …; "X#######" keeps X.
type NumberFormat struct{ pattern string }

// ParseNumberFormat checks a format; "" is the default.
func ParseNumberFormat(s string) (NumberFormat, error) {
	if s == "" {
		s = DefaultNumberFormat
	}
	if len(s) < 8 || len(s) > 9 {
		return NumberFormat{}, fmt.Errorf("PASSPORT_NUMBER_FORMAT: want 8 or 9 characters such as %s, got %q", DefaultNumberFormat, s)
	}
	counting := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '@' || c == '#':
			counting++
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9' && i > 0:
		default:
			return NumberFormat{}, fmt.Errorf("PASSPORT_NUMBER_FORMAT: %q at %d: use @ (letter), # (digit), A–Z or 0–9, starting with a letter", c, i+1)
		}
	}
	if counting < 5 {
		return NumberFormat{}, fmt.Errorf("PASSPORT_NUMBER_FORMAT: %q has fewer than 5 counting places (@ or #)", s)
	}
	return NumberFormat{pattern: s}, nil
}

// String is the format as configured.
func (f NumberFormat) String() string {
	if f.pattern == "" {
		return DefaultNumberFormat
	}
	return f.pattern
}

// Render writes the n-th number of the format; false when n is beyond it.
func (f NumberFormat) Render(n int64) (string, bool) {
	p := []byte(f.String())
	for i := len(p) - 1; i >= 0; i-- {
		switch p[i] {
		case '#':
			p[i] = byte('0' + n%10)
			n /= 10
		case '@':
			p[i] = byte('A' + n%26)
			n /= 26
		}
	}
	return string(p), n == 0
}

// ErrNumbersExhausted: every number of the format is used.
var ErrNumbersExhausted = errors.New("printing: no passport number left in the format (PASSPORT_NUMBER_FORMAT)")

// allocate takes the format's next free number inside tx. The counter row
// serialises allocators; a number the register already holds (registered
// from the old system) is skipped.
func (f NumberFormat) allocate(ctx context.Context, tx pgx.Tx) (string, error) {
	for range 1000 {
		var n int64
		if err := tx.QueryRow(ctx, `INSERT INTO passport_number_counters (format, next) VALUES ($1, 1)
			ON CONFLICT (format) DO UPDATE SET next = passport_number_counters.next + 1 RETURNING next`, f.String()).Scan(&n); err != nil {
			return "", err
		}
		no, ok := f.Render(n)
		if !ok {
			return "", ErrNumbersExhausted
		}
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM passports WHERE passport_no = $1)
			OR EXISTS (SELECT 1 FROM print_jobs WHERE passport_no = $1)`, no).Scan(&taken); err != nil {
			return "", err
		}
		if !taken {
			return no, nil
		}
	}
	return "", errors.New("printing: 1000 passport numbers in a row already taken")
}
