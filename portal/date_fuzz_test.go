package portal

import (
	"testing"
	"time"
)

// A birth date in any accepted spelling is a real calendar day at
// midnight UTC, and the date input shows it back as YYYY-MM-DD.
func FuzzBirthDate(f *testing.F) {
	for _, s := range []string{"1990-10-20", "20-10-1990", "2/1/2006", "31.12.1999", "29-02-2023", " 01-01-2000 ", "", "1990-13-01", "１９９０-10-20"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		d, err := parseBirthDate(raw)
		if err != nil {
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("parseBirthDate(%q) = %v, want midnight UTC", raw, d)
		}
		if got := dateInputValue(raw); got != d.Format(dateLayout) {
			t.Fatalf("dateInputValue(%q) = %q, want %q", raw, got, d.Format(dateLayout))
		}
	})
}

// An arrival date is YYYY-MM-DD or refused, and reads back the same.
func FuzzArrivalDate(f *testing.F) {
	for _, s := range []string{"2026-03-04", " 2026-03-04", "2026-02-29", "04-03-2026", "", "2026-3-4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		d, err := parseDate(raw)
		if err != nil {
			return
		}
		if back, err := parseDate(d.Format(dateLayout)); err != nil || !back.Equal(d) {
			t.Fatalf("parseDate(%q) = %v does not read back (%v, %v)", raw, d, back, err)
		}
	})
}
