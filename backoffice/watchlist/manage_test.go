package watchlist_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sppt/sppt/backoffice/watchlist"
	"github.com/sppt/sppt/internal/testdb"
)

// The page's writes: an entry added and changed as an import line is
// validated; the same person twice for one authority refused; lifting ends
// the validity (the check no longer hits) once; search by NIK, by a name's
// start in another spelling, and by authority. The audit keeps ids only.
func TestSaveLiftSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.Pool(t, testdb.Seed{})
	l := watchlist.New(pool, watchlist.DefaultConfig())
	rec := []string{nikA, "Soedjatmiko Tjahjono", "1970-05-15", "cegah", "korupsi", "KPK", "2026-01-01", ""}
	id, bad, err := l.Save(ctx, 0, rec, "officer:1", now)
	if err != nil || bad != nil || id == 0 {
		t.Fatalf("add: %d %+v %v", id, bad, err)
	}
	if _, bad, _ := l.Save(ctx, 0, rec, "officer:1", now); bad == nil || bad.Key != watchlist.KeyExists {
		t.Errorf("the same person again: %+v", bad)
	}
	wrong := append([]string(nil), rec...)
	wrong[6] = "2026-13-01"
	if _, bad, _ := l.Save(ctx, id, wrong, "officer:1", now); bad == nil || bad.Field != "valid_from" {
		t.Errorf("a bad date: %+v", bad)
	}
	rec[4] = "korupsi dana desa"
	if _, bad, err := l.Save(ctx, id, rec, "officer:1", now); err != nil || bad != nil {
		t.Fatalf("edit: %+v %v", bad, err)
	}
	if e, _ := l.Get(ctx, id); e.Reason != "korupsi dana desa" || e.State(now) != "in_force" {
		t.Errorf("after the edit: %+v", e)
	}
	for q, want := range map[string]int{nikA: 1, "Sudjatmiko": 1, "KPK": 1, "Budi": 0, "": 1} {
		if got, err := l.Search(ctx, q); err != nil || len(got) != want {
			t.Errorf("search %q: %d entries (want %d) %v", q, len(got), want, err)
		}
	}
	if err := l.Lift(ctx, id, " ", "officer:1", now); err == nil {
		t.Error("lifted without grounds")
	}
	if err := l.Lift(ctx, id, "Surat KPK R-12/2026", "officer:1", now); err != nil {
		t.Fatal(err)
	}
	if err := l.Lift(ctx, id, "again", "officer:1", now); !errors.Is(err, watchlist.ErrLifted) {
		t.Errorf("lifting twice: %v", err)
	}
	if e, _ := l.Get(ctx, id); e.State(now) != "lifted" || e.LiftReason != "Surat KPK R-12/2026" || e.ValidTo.Format("2006-01-02") != "2026-03-01" {
		t.Errorf("after lifting: %+v", e)
	}
	if hits, _ := l.Check(ctx, watchlist.Query{NIK: nikA, FullName: "Soedjatmiko Tjahjono", BirthDate: day("1970-05-15"), On: now}); len(hits) != 0 {
		t.Errorf("a lifted entry hits: %+v", hits)
	}
	if _, _, err := l.Save(ctx, id, rec, "officer:1", now); !errors.Is(err, watchlist.ErrNotFound) {
		t.Errorf("editing a lifted entry: %v", err)
	}
	var data string
	_ = pool.QueryRow(ctx, `SELECT string_agg(action || ' ' || data, ';') FROM audit_log WHERE subject LIKE 'watchlist_entry:%'`).Scan(&data)
	if !strings.Contains(data, "watchlist.add") || !strings.Contains(data, "watchlist.lift") || strings.Contains(data, nikA) ||
		strings.Contains(data, "Tjahjono") {
		t.Errorf("audit: %s", data)
	}
}
