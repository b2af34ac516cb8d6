// Package watchlist measures the cekal check at national scale (issue 11,
// item 5): 1,000,000 synthetic entries (seeded; Indonesian-like names built
// from common name words and syllables, some Chinese-Indonesian surnames,
// birth dates over 80 years, 30% with a NIK, 2% without a birth date) loaded
// with COPY, the migration's indexes rebuilt, then 500 checks through
// watchlist.List.Check: 300 variants of listed people (old spelling, titles,
// word order, one typo) and 200 people who are not listed.
//
//	watchlist: entries=1000000 p99_ms=… recall=… seqscan_ms=… ratio=…
//
// p99_ms is over the 500 checks (each one round trip: threshold and query). recall is the share of the 300 variants whose check returns the
// entry they were made from. seqscan_ms is the median of the first 7 of the
// same checks run in the same database with index and bitmap scans disabled
// (so PostgreSQL reads the table); ratio = seqscan_ms / p99_ms, the
// baseline's typical check over the indexed check's 99th percentile.
package watchlist

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/watchlist"
	"github.com/sppt/sppt/internal/idn"
	"github.com/sppt/sppt/internal/testdb"
)

const (
	entries  = 1_000_000
	variants = 300
	strays   = 200
	seqRuns  = 7
)

var checkDay = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func TestBenchWatchlist(t *testing.T) {
	if os.Getenv("SPPT_BENCH") != "1" {
		t.Skip("set SPPT_BENCH=1 to run the benchmark")
	}
	ctx := context.Background()
	pool, url := testdb.Pool(t, testdb.Seed{})
	start := time.Now()
	sample := load(t, ctx, pool)
	t.Logf("loaded and indexed %d entries in %v", entries, time.Since(start).Round(time.Second))

	// Each sample's entry id, looked up by what was written.
	for i, s := range sample {
		if err := pool.QueryRow(ctx, `SELECT min(id) FROM watchlist_entries WHERE name_key = $1 AND birth_date = $2 AND full_name = $3`,
			idn.WatchlistKey(s.name), s.birth, s.name).Scan(&sample[i].id); err != nil {
			t.Fatalf("sample %q: %v", s.name, err)
		}
	}
	queries := makeQueries(sample)
	l := watchlist.New(pool, watchlist.DefaultConfig())
	for _, q := range queries[:50] { // warm-up, not measured
		if _, err := l.Check(ctx, q.Query); err != nil {
			t.Fatal(err)
		}
	}
	var lat []time.Duration
	found := 0
	for _, q := range queries {
		t0 := time.Now()
		hits, err := l.Check(ctx, q.Query)
		lat = append(lat, time.Since(t0))
		if err != nil {
			t.Fatal(err)
		}
		if q.want != 0 && slices.ContainsFunc(hits, func(h watchlist.Hit) bool { return h.ID == q.want }) {
			found++
		}
	}
	slices.Sort(lat)
	p99 := ms(lat[len(lat)*99/100])

	seq := watchlist.New(seqScanPool(t, ctx, url), watchlist.DefaultConfig())
	var seqLat []time.Duration
	for _, q := range queries[:seqRuns] {
		t0 := time.Now()
		if _, err := seq.Check(ctx, q.Query); err != nil {
			t.Fatal(err)
		}
		seqLat = append(seqLat, time.Since(t0))
	}
	slices.Sort(seqLat)
	seqMS := ms(seqLat[len(seqLat)/2])
	explain(t, ctx, pool, queries[0].Query)

	fmt.Printf("watchlist: entries=%d p99_ms=%.2f recall=%.3f seqscan_ms=%.1f ratio=%.0f\n",
		entries, p99, float64(found)/variants, seqMS, seqMS/p99)
	t.Logf("p50_ms=%.2f max_ms=%.2f total %v", ms(lat[len(lat)/2]), ms(lat[len(lat)-1]), time.Since(start).Round(time.Second))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// seqScanPool opens connections on which PostgreSQL may not use an index
// (set at connection start, so no plan cached with an index is reused).
func seqScanPool(t *testing.T, ctx context.Context, url string) *pgxpool.Pool {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["enable_indexscan"] = "off"
	cfg.ConnConfig.RuntimeParams["enable_bitmapscan"] = "off"
	p, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// load drops the table's secondary indexes, COPYs the entries in, rebuilds
// the indexes exactly as the migration defines them, and returns a sample of
// dated entries to make variants of.
func load(t *testing.T, ctx context.Context, pool *pgxpool.Pool) []sampled {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	rows, _ := conn.Query(ctx, `SELECT indexname, indexdef FROM pg_indexes
		WHERE tablename = 'watchlist_entries' AND indexname <> 'watchlist_entries_pkey'`)
	defs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ Name, Def string }])
	if err != nil || len(defs) == 0 {
		t.Fatalf("indexes: %v %v", defs, err)
	}
	for _, d := range defs {
		if _, err := conn.Exec(ctx, "DROP INDEX "+d.Name); err != nil {
			t.Fatal(err)
		}
	}
	g := newGen(rand.New(rand.NewPCG(11, 2026)))
	src := &entrySource{g: g, every: entries / variants}
	t0 := time.Now()
	n, err := conn.CopyFrom(ctx, pgx.Identifier{"watchlist_entries"},
		[]string{"nik", "full_name", "name_key", "birth_date", "kind", "reason", "authority", "valid_from", "valid_to", "created_at", "updated_at"}, src)
	if err != nil || n != entries {
		t.Fatalf("copy: %d %v", n, err)
	}
	t.Logf("COPY %d rows in %v", n, time.Since(t0).Round(time.Millisecond))
	if _, err := conn.Exec(ctx, "SET maintenance_work_mem = '256MB'"); err != nil {
		t.Fatal(err)
	}
	for _, d := range defs {
		t0 := time.Now()
		if _, err := conn.Exec(ctx, d.Def); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s in %v", d.Name, time.Since(t0).Round(time.Millisecond))
	}
	if _, err := conn.Exec(ctx, "VACUUM ANALYZE watchlist_entries"); err != nil {
		t.Fatal(err)
	}
	return src.sample
}

func explain(t *testing.T, ctx context.Context, pool *pgxpool.Pool, q watchlist.Query) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	_, _ = tx.Exec(ctx, "SET LOCAL pg_trgm.similarity_threshold = 0.8")
	rows, err := tx.Query(ctx, `EXPLAIN (ANALYZE, COSTS OFF) SELECT id FROM watchlist_entries
		WHERE birth_date IS NULL AND name_key % $1`, idn.WatchlistKey(q.FullName))
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		plan = append(plan, s)
	}
	t.Logf("plan of the undated name branch:\n%s", strings.Join(plan, "\n"))
}
