package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
)

// `sppt watchlist import` counts added, updated and refused lines and names
// each refused line with its field, in Indonesian and English; `check`
// prints the contract's lines.
func TestWatchlistCommands(t *testing.T) {
	t.Parallel()
	env := []string{"DATABASE_URL=" + apptest.DB(t), "SPPT_NOW=2026-03-02T08:00:00+07:00"}
	file := filepath.Join(t.TempDir(), "cekal.csv")
	write := func(body string) {
		if err := os.WriteFile(file, []byte("nik,full_name,birth_date,kind,reason,authority,valid_from,valid_to\n"+body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("3174011505700001,Soekarno,1970-05-15,travel_ban,korupsi,KPK,2026-01-01,\n" +
		",Djojohadikoesoemo Soemitro,1951-02-03,cegah,pajak,DJP,2025-01-01,2026-12-31\n" +
		",Budi Santoso,15-05-1970,travel_ban,x,KPK,2026-01-01,\n")
	out, err := sppt(t, env, "watchlist", "import", "--file", file)
	if err == nil || !strings.Contains(out, "watchlist import: added=2 updated=0 unchanged=0 refused=1") ||
		!strings.Contains(out, "added: lines 2-3") ||
		!strings.Contains(out, "refused: line 4, birth_date: Tanggal lahir harus YYYY-MM-DD") ||
		!strings.Contains(out, "/ The birth date must be YYYY-MM-DD") {
		t.Fatalf("first import (a refused line exits non-zero): %v\n%s", err, out)
	}
	// Fixed and re-imported: the good lines are unchanged, the fixed one is added.
	write("3174011505700001,Soekarno,1970-05-15,travel_ban,korupsi,KPK,2026-01-01,\n" +
		",Djojohadikoesoemo Soemitro,1951-02-03,cegah,pajak (banding),DJP,2025-01-01,2026-12-31\n" +
		",Budi Santoso,1970-05-15,travel_ban,x,KPK,2026-01-01,\n")
	out, err = sppt(t, env, "watchlist", "import", "--file", file)
	if err != nil || !strings.Contains(out, "watchlist import: added=1 updated=1 unchanged=1 refused=0") ||
		!strings.Contains(out, "updated: lines 3\n") || !strings.Contains(out, "added: lines 4\n") {
		t.Fatalf("re-import: %v\n%s", err, out)
	}

	out, err = sppt(t, env, "watchlist", "check", "--name", "Sumitro Joyohadikusumo", "--birth-date", "1951-02-03")
	if err != nil || out != "match score=1.00 kind=travel_ban name=\"Djojohadikoesoemo Soemitro\" birth_date=1951-02-03\nwatchlist: matches=1\n" {
		t.Fatalf("check by name: %v\n%q", err, out)
	}
	// The NIK hits whatever the name; "Budi Susanto", born the same day, is not
	// the listed "Budi Santoso" (similarity 0.53, under the threshold).
	out, err = sppt(t, env, "watchlist", "check", "--name", "Budi Susanto", "--birth-date", "1970-05-15", "--nik", "3174011505700001")
	if err != nil || out != "match score=1.00 kind=travel_ban name=\"Soekarno\" birth_date=1970-05-15\nwatchlist: matches=1\n" {
		t.Fatalf("check by NIK: %v\n%s", err, out)
	}
	// "Budi Santoso" in old spelling hits the name entry, and the NIK the other.
	out, err = sppt(t, env, "watchlist", "check", "--name", "Boedi Santoso", "--birth-date", "1970-05-15", "--nik", "3174011505700001")
	if err != nil || out != "match score=1.00 kind=travel_ban name=\"Soekarno\" birth_date=1970-05-15\n"+
		"match score=1.00 kind=travel_ban name=\"Budi Santoso\" birth_date=1970-05-15\nwatchlist: matches=2\n" {
		t.Fatalf("check by NIK and name: %v\n%s", err, out)
	}
	out, err = sppt(t, env, "watchlist", "check", "--name", "Orang Lain", "--birth-date", "1990-01-01")
	if err != nil || out != "watchlist: matches=0\n" {
		t.Fatalf("no hit: %v %q", err, out)
	}
	if out, err := sppt(t, env, "watchlist", "check", "--name", "Budi", "--birth-date", "15-05-1970"); err == nil || !strings.Contains(out, "--birth-date") {
		t.Fatalf("a bad birth date was accepted: %s", out)
	}
}
