package quota

import (
	"testing"
	"time"
)

func TestReleaseDue(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	at := func(h, m int) time.Time { return time.Date(2026, 3, 2, h, m, 0, 0, wib) }
	for _, c := range []struct {
		name, spec, zone string
		last, now        time.Time
		want             bool
	}{
		{"firing now", "0 12 * * *", "Asia/Jakarta", at(11, 59), at(12, 0), true},
		{"firing at the previous sweep", "0 12 * * *", "Asia/Jakarta", at(12, 0), at(12, 1), false},
		{"firing inside a missed gap", "0 12 * * *", "Asia/Jakarta", at(11, 58), at(12, 3), true},
		{"not yet", "0 12 * * *", "Asia/Jakarta", at(11, 58), at(11, 59), false},
		{"the previous sweep woke a hair early", "0 12 * * *", "Asia/Jakarta", at(12, 0).Add(-time.Millisecond), at(12, 1), true},
		{"noon WITA is 11:00 WIB", "0 12 * * *", "Asia/Makassar", at(10, 59), at(11, 0), true},
		{"noon WIT is 10:00 WIB", "0 12 * * *", "Asia/Jayapura", at(10, 59), at(11, 0), false},
		{"weekly, not this day", "0 0 * * 1", "Asia/Jakarta", at(0, 0), at(0, 1), false},
	} {
		got, err := releaseDue(c.spec, c.zone, c.last, c.now)
		if err != nil || got != c.want {
			t.Errorf("%s: due %v (%v), want %v", c.name, got, err, c.want)
		}
	}
	if _, err := releaseDue("every day", "Asia/Jakarta", time.Time{}, time.Now()); err == nil {
		t.Error("a bad release_cron passed")
	}
}
