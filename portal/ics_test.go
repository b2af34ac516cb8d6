package portal

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestRenderICSInOfficeZone(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Jayapura")
	out := string(renderICS(icsEvent{UID: "abc@sppt", Stamp: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC), Day: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC),
		Opens: "08:00", Closes: "15:30", Loc: loc, Summary: "Jadwal; paspor, Jayapura", Description: "baris 1\nbaris 2", Location: "Jl. Percetakan No. 15, Jayapura"}))
	for _, want := range []string{"DTSTART;TZID=Asia/Jayapura:20260304T080000\r\n", "DTEND;TZID=Asia/Jayapura:20260304T153000\r\n",
		"TZOFFSETTO:+0900\r\n", "TZNAME:WIT\r\n", `SUMMARY:Jadwal\; paspor\, Jayapura` + "\r\n", `DESCRIPTION:baris 1\nbaris 2` + "\r\n",
		"DTSTAMP:20260302T010000Z\r\n", "STATUS:CONFIRMED\r\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if !strings.HasPrefix(out, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(out, "END:VCALENDAR\r\n") {
		t.Errorf("not a VCALENDAR")
	}
}

func FuzzFoldICS(f *testing.F) {
	f.Add("SUMMARY:" + strings.Repeat("é", 80))
	f.Add("LOCATION:Kantor Imigrasi Kelas I Khusus Non TPI Jakarta Selatan, Jl. Warung Buncit Raya")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n") {
			return
		}
		out := foldICS(s)
		if !strings.HasSuffix(out, "\r\n") {
			t.Fatal("no CRLF")
		}
		lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
		for i, l := range lines {
			if len(l) > 75 || !utf8.ValidString(l) {
				t.Fatalf("line %d: %d octets, valid %v", i, len(l), utf8.ValidString(l))
			}
		}
		if back := strings.ReplaceAll(strings.TrimSuffix(out, "\r\n"), "\r\n ", ""); back != s {
			t.Fatalf("unfold: %q != %q", back, s)
		}
	})
}
