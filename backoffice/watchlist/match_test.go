package watchlist_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/watchlist"
	"github.com/sppt/sppt/internal/idn"
	"github.com/sppt/sppt/internal/testdb"
)

var now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// importCSV imports rows (after the header) and fails the test on a refusal.
func importCSV(t *testing.T, l *watchlist.List, rows ...string) watchlist.ImportResult {
	t.Helper()
	csv := strings.Join(watchlist.Columns, ",") + "\n" + strings.Join(rows, "\n") + "\n"
	res, err := l.Import(context.Background(), strings.NewReader(csv), "test", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Refused) > 0 {
		t.Fatalf("refused: %+v", res.Refused)
	}
	return res
}

type rates struct{ recall, falseMatch float64 }

func (r rates) String() string {
	return fmt.Sprintf("recall=%.3f false_match=%.3f", r.recall, r.falseMatch)
}

// measure runs every pair through hit and returns the rates.
func measure(t *testing.T, hit func(i int, p namePair) bool) (rates, []string) {
	var tp, fn, fp, tn int
	var wrong []string
	for i, p := range namePairs {
		h := hit(i, p)
		switch {
		case p.same && h:
			tp++
		case p.same:
			fn++
			wrong = append(wrong, fmt.Sprintf("missed %q ~ %q", p.listed, p.applied))
		case h:
			fp++
			wrong = append(wrong, fmt.Sprintf("false match %q ~ %q", p.listed, p.applied))
		default:
			tn++
		}
	}
	return rates{float64(tp) / float64(tp+fn), float64(fp) / float64(fp+tn)}, wrong
}

// The name-pair table (pairs_test.go) through the real check on PostgreSQL:
// each listed name is an entry with its own birth date, each applied name is
// checked with that birth date (look-alikes too: the hardest case, where the
// name alone must tell them apart). Then the same table against entries that
// have no birth date, matched on the name alone at the stricter threshold.
func TestNamePairTableRecallAndFalseMatchRate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.Pool(t, testdb.Seed{})
	cfg := watchlist.DefaultConfig()
	l := watchlist.New(pool, cfg)
	birth := func(i int) time.Time { return day("1940-01-01").AddDate(0, 0, 97*i) }
	var rows []string
	for i, p := range namePairs {
		rows = append(rows, fmt.Sprintf("%q,%q,%s,travel_ban,test,KEJAGUNG,2026-01-01,", "", p.listed, birth(i).Format(time.DateOnly)))
	}
	importCSV(t, l, rows...)

	if len(namePairs) < 60 {
		t.Fatalf("the table has %d pairs; it should have at least 60", len(namePairs))
	}
	// The threshold sweep the defaults were chosen from, for the record.
	var sweep []string
	for th := 0.40; th < 0.96; th += 0.05 {
		r, _ := measure(t, func(_ int, p namePair) bool {
			var s float64
			if err := pool.QueryRow(ctx, `SELECT similarity($1, $2)::float8`, idn.WatchlistKey(p.listed), idn.WatchlistKey(p.applied)).Scan(&s); err != nil {
				t.Fatal(err)
			}
			return s >= th
		})
		sweep = append(sweep, fmt.Sprintf("  %.2f: %s", th, r))
	}
	t.Logf("similarity threshold sweep over %d pairs:\n%s", len(namePairs), strings.Join(sweep, "\n"))

	dated, wrong := measure(t, func(i int, p namePair) bool {
		hits, err := l.Check(ctx, watchlist.Query{FullName: p.applied, BirthDate: birth(i), On: now})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if h.BirthDate.Equal(birth(i)) {
				return true
			}
		}
		return false
	})
	fmt.Printf("watchlist pairs: pairs=%d with_birth_date threshold=%.2f %s\n", len(namePairs), cfg.Name, dated)
	t.Logf("with birth date, not as the table says: %s", strings.Join(wrong, "; "))
	if dated.recall < 0.95 || dated.falseMatch > 0.05 {
		t.Errorf("with birth date: %s, want recall >= 0.95 and false_match <= 0.05", dated)
	}

	// Entries without a birth date, checked with a birth date no entry has.
	rows = rows[:0]
	seen := map[string]bool{}
	for _, p := range namePairs {
		if k := idn.WatchlistKey(p.listed); !seen[k] {
			seen[k] = true
			rows = append(rows, fmt.Sprintf(",%q,,wanted,test,POLRI,2026-01-01,", p.listed))
		}
	}
	importCSV(t, l, rows...)
	undated, wrong := measure(t, func(_ int, p namePair) bool {
		hits, err := l.Check(ctx, watchlist.Query{FullName: p.applied, BirthDate: day("2011-11-11"), On: now})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if !h.HasBirth && h.NameKey == idn.WatchlistKey(p.listed) {
				return true
			}
		}
		return false
	})
	fmt.Printf("watchlist pairs: pairs=%d without_birth_date threshold=%.2f %s\n", len(namePairs), cfg.NameOnly, undated)
	t.Logf("without birth date, not as the table says: %s", strings.Join(wrong, "; "))
	if undated.falseMatch > 0 || undated.recall < 0.75 {
		t.Errorf("without birth date: %s, want no false match and recall >= 0.75", undated)
	}
}
