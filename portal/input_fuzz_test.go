package portal

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// A post-login redirect never leaves the site, whatever ?next= says.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/bookings", "//evil.example/", "/\\evil.example", "https://evil.example", "/book?office=JKS&date=2026-03-04", "/%2F%2Fevil", "/api/v1/bookings"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		// What a browser would follow: tabs and newlines removed, "\\" read as "/".
		seen := strings.NewReplacer("\t", "", "\r", "", "\n", "", "\\", "/").Replace(got)
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(seen, "/") || strings.HasPrefix(seen, "//") {
			t.Fatalf("safeNext(%q) = %q", next, got)
		}
	})
}

// Booking codes from the URL are either refused or of the stored shape.
func FuzzBookingCode(f *testing.F) {
	for _, s := range []string{"ABC123", " abc123 ", "ABC-123", "ÄBC123", strings.Repeat("A", 13)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		code, ok := bookingCode(raw)
		if !ok {
			return
		}
		if len(code) < 6 || len(code) > 12 || strings.Trim(code, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			t.Fatalf("bookingCode(%q) = %q", raw, code)
		}
	})
}

// The quota range either names its wrong field or is within the contract.
func FuzzCalendarRange(f *testing.F) {
	f.Add("2026-03-02", "30")
	f.Add("2026-02-30", "62")
	f.Add("", "63")
	f.Fuzz(func(t *testing.T, from, days string) {
		today := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		_, n, err := calendarRange(from, days, today)
		if err == nil && (n < 1 || n > MaxCalendarDays) {
			t.Fatalf("calendarRange(%q, %q) accepted %d days", from, days, n)
		}
	})
}
