package sms

import (
	"slices"
	"strings"
	"testing"
	"time"
)

var wib = time.FixedZone("WIB", 7*3600)

// today is 10 June 2026, 21:30 WIB.
var today = time.Date(2026, 6, 10, 21, 30, 0, 0, wib)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, wib) }

func TestParseCommand(t *testing.T) {
	tests := []struct {
		body string
		want Command
	}{
		// KUOTA / QUOTA
		{"KUOTA JKS", Command{Kind: KindQuota, Lang: "id", Office: "JKS"}},
		{"kuota jks", Command{Kind: KindQuota, Lang: "id", Office: "JKS"}},
		{"  Kuota \t\n Jks  ", Command{Kind: KindQuota, Lang: "id", Office: "JKS"}},
		{"KUOTA\u00a0JKS\u200b", Command{Kind: KindQuota, Lang: "id", Office: "JKS"}},
		{"QUOTA DPS", Command{Kind: KindQuota, Lang: "en", Office: "DPS"}},
		{"Kuota: JKS.", Command{Kind: KindQuota, Lang: "id", Office: "JKS"}},
		{"KUOTA JKS 15-06", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Date: day(2026, 6, 15)}},
		{"KUOTA JKS 15/06", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Date: day(2026, 6, 15)}},
		{"KUOTA JKS 5/7", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Date: day(2026, 7, 5)}},
		{"KUOTA JKS 10-06", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Date: day(2026, 6, 10)}}, // today itself
		{"KUOTA JKS 09-06", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Date: day(2027, 6, 9)}},  // passed: next year
		{"KUOTA JKS 02-01", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Date: day(2027, 1, 2)}},
		{"KUOTA JKS 2026-06-15", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Date: day(2026, 6, 15)}},
		{"KUOTA JKS 15-06-2026", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Date: day(2026, 6, 15)}},
		{"KUOTA JKS 15/06/2026", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Date: day(2026, 6, 15)}},
		{"KUOTA JKS 2028-02-29", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Date: day(2028, 2, 29)}},
		{"KUOTA JKS 15-06 tolong", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Date: day(2026, 6, 15)}},
		{"KUOTA", Command{Kind: KindQuota, Lang: "id", Err: ErrOfficeMissing}},
		{"QUOTA", Command{Kind: KindQuota, Lang: "en", Err: ErrOfficeMissing}},
		{"KUOTA JAKARTA", Command{Kind: KindQuota, Lang: "id", Err: ErrOfficeInvalid}},
		{"KUOTA J1S", Command{Kind: KindQuota, Lang: "id", Err: ErrOfficeInvalid}},
		{"KUOTA ĴKS", Command{Kind: KindQuota, Lang: "id", Err: ErrOfficeInvalid}},
		{"KUOTA JKS besok", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Err: ErrDateInvalid}},
		{"KUOTA JKS 31-04", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Err: ErrDateInvalid}},
		{"KUOTA JKS 29-02", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Err: ErrDateInvalid}}, // 2026, 2027 not leap
		{"KUOTA JKS 2026-02-29", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Err: ErrDateInvalid}},
		{"KUOTA JKS 2026-13-01", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Err: ErrDateInvalid}},
		{"KUOTA JKS 00-06", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Err: ErrDateInvalid}},
		{"KUOTA JKS 15-06/2026", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Err: ErrDateInvalid}},
		{"KUOTA JKS 15--06", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Err: ErrDateInvalid}},
		{"KUOTA JKS +1-06", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Err: ErrDateInvalid}},
		{"KUOTA JKS 115-06", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Err: ErrDateInvalid}},
		{"KUOTA JKS 15-06-26", Command{Kind: KindQuota, Lang: "id", Office: "JKS", Err: ErrDateInvalid}},
		// ANTRIAN / QUEUE, DAFTAR / JOIN
		{"ANTRIAN SBY", Command{Kind: KindQueue, Lang: "id", Office: "SBY"}},
		{"queue sby", Command{Kind: KindQueue, Lang: "en", Office: "SBY"}},
		{"ANTRIAN", Command{Kind: KindQueue, Lang: "id", Err: ErrOfficeMissing}},
		{"ANTRIAN SB", Command{Kind: KindQueue, Lang: "id", Err: ErrOfficeInvalid}},
		{"antrian jks a012", Command{Kind: KindQueue, Lang: "id", Office: "JKS", Ticket: "A012"}},
		{"ANTRIAN JKS tolong", Command{Kind: KindQueue, Lang: "id", Office: "JKS"}}, // not a number: ignored
		{"DAFTAR MKS", Command{Kind: KindJoin, Lang: "id", Office: "MKS"}},
		{"Join jyp", Command{Kind: KindJoin, Lang: "en", Office: "JYP"}},
		{"DAFTAR", Command{Kind: KindJoin, Lang: "id", Err: ErrOfficeMissing}},
		// STATUS
		{"STATUS jks-2026-000123", Command{Kind: KindStatus, Lang: "id", AppNo: "JKS-2026-000123"}},
		{"status ab12", Command{Kind: KindStatus, Lang: "id", AppNo: "AB12"}},
		{"STATUS " + strings.Repeat("A", 32), Command{Kind: KindStatus, Lang: "id", AppNo: strings.Repeat("A", 32)}},
		{"STATUS", Command{Kind: KindStatus, Lang: "id", Err: ErrAppNoMissing}},
		{"STATUS " + strings.Repeat("A", 33), Command{Kind: KindStatus, Lang: "id", Err: ErrAppNoInvalid}},
		{"STATUS AB_12", Command{Kind: KindStatus, Lang: "id", Err: ErrAppNoInvalid}},
		{"STATUS ---", Command{Kind: KindStatus, Lang: "id", Err: ErrAppNoInvalid}},
		{"STATUS ÄB12", Command{Kind: KindStatus, Lang: "id", Err: ErrAppNoInvalid}},
		// opt-out and opt-in
		{"BERHENTI", Command{Kind: KindStop, Lang: "id"}},
		{"berhenti JKS", Command{Kind: KindStop, Lang: "id"}},
		{"STOP", Command{Kind: KindStop, Lang: "en"}},
		{"Stop.", Command{Kind: KindStop, Lang: "en"}},
		{"stop sending me these", Command{Kind: KindStop, Lang: "en"}},
		{"UNSUBSCRIBE", Command{Kind: KindStop, Lang: "en"}},
		{"end", Command{Kind: KindStop, Lang: "en"}},
		{"QUIT", Command{Kind: KindStop, Lang: "en"}},
		{"StopAll", Command{Kind: KindStop, Lang: "en"}},
		{"REVOKE", Command{Kind: KindStop, Lang: "en"}},
		{"optout", Command{Kind: KindStop, Lang: "en"}},
		{"CANCEL", Command{Kind: KindStop, Lang: "en"}},
		{"MULAI", Command{Kind: KindStart, Lang: "id"}},
		{"start", Command{Kind: KindStart, Lang: "en"}},
		{"UNSTOP", Command{Kind: KindStart, Lang: "en"}},
		// help
		{"BANTUAN", Command{Kind: KindHelp, Lang: "id"}},
		{"help", Command{Kind: KindHelp, Lang: "en"}},
		{"Help?", Command{Kind: KindHelp, Lang: "en"}},
		{"INFO", Command{Kind: KindHelp, Lang: "id"}},
		{"", Command{Kind: KindHelp, Lang: "id", Err: ErrUnknown}},
		{" \t\n\u00a0", Command{Kind: KindHelp, Lang: "id", Err: ErrUnknown}},
		{"...", Command{Kind: KindHelp, Lang: "id", Err: ErrUnknown}},
		{"halo, kuota JKS berapa?", Command{Kind: KindHelp, Lang: "id", Err: ErrUnknown}},
		{"KUOTAJKS", Command{Kind: KindHelp, Lang: "id", Err: ErrUnknown}},
		{"STOPP", Command{Kind: KindHelp, Lang: "id", Err: ErrUnknown}},
		{"😀", Command{Kind: KindHelp, Lang: "id", Err: ErrUnknown}},
	}
	for _, tt := range tests {
		got := ParseCommand(tt.body, today)
		if got.Kind != tt.want.Kind || got.Lang != tt.want.Lang || got.Office != tt.want.Office ||
			got.AppNo != tt.want.AppNo || got.Err != tt.want.Err || !got.Date.Equal(tt.want.Date) {
			t.Errorf("ParseCommand(%q) =\n  %+v\nwant\n  %+v", tt.body, got, tt.want)
		}
	}
}

// A date is a calendar date in the caller's location, at midnight.
func TestParseCommandDateLocation(t *testing.T) {
	got := ParseCommand("KUOTA JKS 15-06", today)
	if got.Date.Location() != wib || got.Date.Hour() != 0 || got.Date.Minute() != 0 {
		t.Errorf("Date %v", got.Date)
	}
}

// On 29 February of a leap year, 29-02 is today; the day after, it has passed
// and next year has none.
func TestParseCommandLeapDay(t *testing.T) {
	if got := ParseCommand("KUOTA JKS 29-02", day(2028, 2, 29)); !got.Date.Equal(day(2028, 2, 29)) {
		t.Errorf("got %+v", got)
	}
	if got := ParseCommand("KUOTA JKS 29-02", day(2028, 3, 1)); got.Err != ErrDateInvalid {
		t.Errorf("got %+v", got)
	}
	if got := ParseCommand("KUOTA JKS 29-02", day(2027, 3, 1)); !got.Date.Equal(day(2028, 2, 29)) {
		t.Errorf("got %+v", got)
	}
	if got := ParseCommand("KUOTA JKS 01-01", day(2026, 12, 31)); !got.Date.Equal(day(2027, 1, 1)) {
		t.Errorf("got %+v", got)
	}
}

var kinds = []string{KindQuota, KindQueue, KindStatus, KindJoin, KindStop, KindStart, KindHelp}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"KUOTA JKS 15-06", "kuota jks 2026-06-15", "QUOTA", "STATUS ab-12", "STOP",
		"whatever", "", "ANTRIAN\u00a0SBY", "KUOTA JKS 29/02/2028", "DAFTAR J\xffK"} {
		f.Add(s, int64(1781101800))
	}
	f.Fuzz(func(t *testing.T, body string, unix int64) {
		c := ParseCommand(body, time.Unix(unix%(1<<40), 0).In(wib))
		if !slices.Contains(kinds, c.Kind) {
			t.Fatalf("Kind %q", c.Kind)
		}
		if c.Lang != "id" && c.Lang != "en" {
			t.Fatalf("Lang %q", c.Lang)
		}
		if c.Office != "" && (len(c.Office) != 3 || !isUpperASCII(c.Office)) {
			t.Fatalf("Office %q", c.Office)
		}
		if len(c.AppNo) > maxAppNoLen || strings.Trim(c.AppNo, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
			t.Fatalf("AppNo %q", c.AppNo)
		}
		if !c.Date.IsZero() && (c.Kind != KindQuota || c.Err != "" || c.Date.Hour() != 0) {
			t.Fatalf("Date %v on %+v", c.Date, c)
		}
		if c.Err == "" && (c.Kind == KindQuota || c.Kind == KindQueue || c.Kind == KindJoin) && c.Office == "" {
			t.Fatalf("no office and no error: %+v", c)
		}
	})
}
