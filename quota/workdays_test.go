package quota_test

import (
	"testing"
	"time"
)

// The 2026 calendar (DOMAIN.md): Lebaran's holidays and collective leave
// make 18–24 March one stretch off.
func TestAddWorkingDaysSkipsWeekendsHolidaysAndLeave(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 9, 0, 0, 0, wib))
	cases := []struct {
		from string
		n    int
		want string
	}{
		{"2026-03-02T09:00:00+07:00", 3, "2026-03-05"}, // Monday → Thursday
		{"2026-03-05T16:00:00+07:00", 3, "2026-03-10"}, // Thursday → over the weekend
		{"2026-03-16T10:00:00+07:00", 3, "2026-03-26"}, // 17 Mar, then 18–24 off: 25, 26
		{"2026-03-06T23:30:00+07:00", 1, "2026-03-09"}, // Friday night in Jakarta
	}
	for _, c := range cases {
		from, _ := time.Parse(time.RFC3339, c.from)
		got, err := e.s.AddWorkingDays(e.ctx, "JKS", from, c.n)
		if err != nil {
			t.Fatal(err)
		}
		if got.Format("2006-01-02") != c.want {
			t.Errorf("%s + %d working days = %s, want %s", c.from, c.n, got.Format("2006-01-02"), c.want)
		}
		n, err := e.s.WorkingDaysBetween(e.ctx, "JKS", from, got)
		if err != nil || n != c.n {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, %v; want %d", c.from, c.want, n, err, c.n)
		}
	}
}
