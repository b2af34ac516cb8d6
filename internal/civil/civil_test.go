package civil

import (
	"testing"
	"time"
)

func TestDayInZone(t *testing.T) {
	jyp, err := Zone("Asia/Jayapura")
	if err != nil {
		t.Fatal(err)
	}
	// 16:30 UTC is already the next day in Jayapura (UTC+9), not in UTC.
	at := time.Date(2026, 3, 1, 16, 30, 0, 0, time.UTC)
	if got := Date(Day(at, jyp)); got != "2026-03-02" {
		t.Fatalf("Jayapura day = %s, want 2026-03-02", got)
	}
	if got := Date(Day(at, nil)); got != "2026-03-01" {
		t.Fatalf("UTC day = %s, want 2026-03-01", got)
	}
	if _, err := Zone("Mars/Olympus"); err == nil {
		t.Fatal("unknown zone loaded")
	}
	if ZoneOr("", time.UTC) != time.UTC || ZoneOr("Mars/Olympus", time.UTC) != time.UTC {
		t.Fatal("ZoneOr did not fall back")
	}
}

func TestPrefixesInDisplayOrder(t *testing.T) {
	want := "ABCDEF"
	for i, s := range Services {
		if Prefix(s) != want[i:i+1] {
			t.Fatalf("%s prefix %q, want %q", s, Prefix(s), want[i:i+1])
		}
	}
	if Prefix("visa") != "" || IsService("visa") {
		t.Fatal("unknown service has a prefix")
	}
}

func TestStages(t *testing.T) {
	if len(Stages) != 12 || !StageOnHold.Valid() || Stage("approved").Valid() {
		t.Fatal("stage list does not match CONTRACT.md's Pipeline")
	}
}
