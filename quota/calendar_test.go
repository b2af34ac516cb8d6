package quota_test

import (
	"errors"
	"testing"
	"time"

	"github.com/sppt/sppt/quota"
)

func TestCalendarReasons(t *testing.T) {
	t.Parallel()
	// Monday 2 March 2026, 09:00 WIB.
	e := start(t, time.Date(2026, 3, 2, 9, 0, 0, 0, wib))
	cases := []struct {
		day, reason, holiday string
	}{
		{"2026-03-01", quota.ReasonPast, ""},
		{"2026-03-02", "", ""},
		{"2026-03-07", quota.ReasonWeekend, ""},
		{"2026-03-19", quota.ReasonHoliday, "Hari Suci Nyepi Tahun Baru Saka 1948"},
		{"2026-04-01", "", ""}, // today + 30: released at midnight
		{"2026-04-02", quota.ReasonBeyond, ""},
	}
	for _, c := range cases {
		st, err := e.s.Day(e.ctx, "JKS", date(c.day))
		if err != nil {
			t.Fatal(err)
		}
		if st.Open != (c.reason == "") || st.Reason != c.reason || st.HolidayName != c.holiday {
			t.Errorf("%s: open=%v reason=%q holiday=%q, want reason %q holiday %q", c.day, st.Open, st.Reason, st.HolidayName, c.reason, c.holiday)
		}
	}
	st, _ := e.s.Day(e.ctx, "JKS", date("2026-03-03"))
	if st.Online.Capacity != 150 || st.Online.Remaining != 150 || st.Walkin.Capacity != 40 || st.Priority.Capacity != 10 || st.InDraw {
		t.Errorf("default day: %+v", st)
	}

	// A weekly release, Fridays 14:00 WIB: day 31 March opens on Friday 6 March.
	exec(t, e.in.Pool, `UPDATE offices SET release_cron = '0 14 * * 5' WHERE code = 'JKS'`)
	st, _ = e.s.Day(e.ctx, "JKS", date("2026-03-31"))
	if st.Open || st.Reason != quota.ReasonNotReleased || !st.ReleasesAt.Equal(time.Date(2026, 3, 6, 14, 0, 0, 0, wib)) {
		t.Errorf("weekly release: %+v", st)
	}
	_, err := e.s.Book(e.ctx, citizen(1, "JKS", date("2026-03-31")))
	var dn *quota.DateNotOpenError
	if !errors.As(err, &dn) || dn.Reason != quota.ReasonNotReleased || dn.ReleasesAt.IsZero() {
		t.Errorf("booking an unreleased day: %v", err)
	}
	if st, _ = e.s.Day(e.ctx, "JKS", date("2026-03-03")); !st.Open {
		t.Errorf("a day released last month: %+v", st)
	}

	// A day without quota and a day past the range limit.
	if _, err := e.s.Calendar(e.ctx, "JKS", date("2026-03-02"), 63); !errors.Is(err, quota.ErrBadRange) {
		t.Errorf("63 days: %v", err)
	}
	if _, err := e.s.Calendar(e.ctx, "XXX", date("2026-03-02"), 3); !errors.Is(err, quota.ErrNoOffice) {
		t.Errorf("unknown office: %v", err)
	}
	if list, err := e.s.Calendar(e.ctx, "JKS", date("2026-03-02"), 62); err != nil || len(list) != 62 {
		t.Errorf("62 days: %d %v", len(list), err)
	}
}

func TestCalendarClosesAtClosingTimeInOfficeZone(t *testing.T) {
	t.Parallel()
	// 08:30 UTC = 15:30 WIB (JKS open), 16:30 WITA (DPS closed), 17:30 WIT (JYP closed).
	e := start(t, time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC))
	want := map[string]bool{"JKS": true, "DPS": false, "JYP": false}
	for office, open := range want {
		st, err := e.s.Day(e.ctx, office, date("2026-03-02"))
		if err != nil {
			t.Fatal(err)
		}
		if st.Open != open || (!open && st.Reason != quota.ReasonClosed) {
			t.Errorf("%s at 08:30 UTC: %+v", office, st)
		}
	}
	// 07:30 UTC = 15:30 WITA: DPS still open; 16:30 WIT: JYP closed.
	e.clk.Set(time.Date(2026, 3, 2, 7, 30, 0, 0, time.UTC))
	if st, _ := e.s.Day(e.ctx, "DPS", date("2026-03-02")); !st.Open {
		t.Errorf("DPS at 15:30 WITA: %+v", st)
	}
	if st, _ := e.s.Day(e.ctx, "JYP", date("2026-03-02")); st.Open || st.Reason != quota.ReasonClosed {
		t.Errorf("JYP at 16:30 WIT: %+v", st)
	}
	// Just before midnight WIT on 2 March it is already 3 March in no zone but
	// JYP's own: the calendar day is the office's.
	e.clk.Set(time.Date(2026, 3, 2, 15, 30, 0, 0, time.UTC)) // 00:30 WIT on 3 March
	if st, _ := e.s.Day(e.ctx, "JYP", date("2026-03-02")); st.Reason != quota.ReasonPast {
		t.Errorf("JYP 2 March seen at 00:30 WIT on 3 March: %+v", st)
	}
	if st, _ := e.s.Day(e.ctx, "JKS", date("2026-03-02")); st.Reason != quota.ReasonClosed {
		t.Errorf("JKS 2 March at 22:30 WIB: %+v", st)
	}
	_ = wita
	_ = wit
}
