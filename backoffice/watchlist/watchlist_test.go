package watchlist_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/watchlist"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/testdb"
)

const nikA = "3174011505700001" // Jakarta Selatan, a man born 15-05-1970

func TestCheckByNIKNameAndValidity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.Pool(t, testdb.Seed{})
	l := watchlist.New(pool, watchlist.DefaultConfig())
	importCSV(t, l,
		nikA+",Soekarno,1970-05-15,travel_ban,korupsi,KPK,2026-01-01,2026-12-31",
		",Djojohadikoesoemo Soemitro,1951-02-03,cegah,utang pajak,DJP,2025-01-01,",
		",Liem Sioe Liong,1950-07-19,wanted,penipuan,POLRI,2026-06-01,",               // not yet valid
		",Oei Tiong Ham,1966-09-09,travel_ban,selesai,KEJAGUNG,2020-01-01,2025-12-31", // expired
		",Hj. Siti Aminah S.H.,,dpo,buron,POLRI,2026-01-01,")                          // no birth date

	check := func(name, birth, nik string) []watchlist.Hit {
		t.Helper()
		hits, err := l.Check(ctx, watchlist.Query{NIK: nik, FullName: name, BirthDate: day(birth), On: now})
		if err != nil {
			t.Fatal(err)
		}
		return hits
	}
	// The NIK hits whatever the name and birth date say; scored 1.
	if h := check("Nama Lain Sama Sekali", "1999-01-01", nikA); len(h) != 1 || !h[0].ByNIK || h[0].Score != 1 || h[0].Kind != "travel_ban" {
		t.Fatalf("NIK: %+v", h)
	}
	// A spelling variant with the same birth date hits; with another birth date it does not.
	if h := check("Sukarno", "1970-05-15", ""); len(h) != 1 || h[0].FullName != "Soekarno" || h[0].ByNIK {
		t.Fatalf("spelling variant: %+v", h)
	}
	if h := check("Sukarno", "1970-05-16", ""); len(h) != 0 {
		t.Fatalf("another birth date hit: %+v", h)
	}
	// NIK and name on one entry: listed once.
	if h := check("Sukarno", "1970-05-15", nikA); len(h) != 1 || h[0].Score != 1 {
		t.Fatalf("NIK and name: %+v", h)
	}
	// Word order and old spelling, an Indonesian kind alias stored as its code.
	if h := check("Sumitro Joyohadikusumo", "1951-02-03", ""); len(h) != 1 || h[0].Kind != "travel_ban" {
		t.Fatalf("word order: %+v", h)
	}
	// Only entries valid on the check date.
	if h := check("Lim Siu Liong", "1950-07-19", ""); len(h) != 0 {
		t.Fatalf("an entry not yet valid hit: %+v", h)
	}
	if h := check("Oey Tiong Ham", "1966-09-09", ""); len(h) != 0 {
		t.Fatalf("an expired entry hit: %+v", h)
	}
	// An entry without a birth date: the name alone, at the stricter threshold.
	if h := check("Siti Aminah", "1988-08-08", ""); len(h) != 1 || h[0].HasBirth || h[0].Kind != "wanted" {
		t.Fatalf("undated entry, same name: %+v", h)
	}
	if h := check("Siti Aminah Putri", "1988-08-08", ""); len(h) != 0 {
		t.Fatalf("undated entry hit below the name-only threshold: %+v", h)
	}
}

func TestImportIsIdempotentAndRefusesBadLines(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.Pool(t, testdb.Seed{})
	l := watchlist.New(pool, watchlist.DefaultConfig())
	file := strings.Join(watchlist.Columns, ",") + "\n" +
		nikA + ",Soekarno,1970-05-15,travel_ban,korupsi,KPK,2026-01-01,\n" + // 2
		",\"Tjan, Tjoen Bing\",1960-01-02,wanted,penipuan,polri,2026-01-01,\n" + // 3
		"12345,Budi,1970-01-01,travel_ban,x,KPK,2026-01-01,\n" + // 4 bad NIK
		",Budi,1970-13-01,travel_ban,x,KPK,2026-01-01,\n" + // 5 bad birth date
		",Budi,1970-01-01,banned,x,KPK,2026-01-01,\n" + // 6 bad kind
		",Budi,1970-01-01,travel_ban,x,KPK,2026-02-01,2026-01-01\n" + // 7 to before from
		",Budi,1970-01-01,travel_ban,x\n" + // 8 too few columns
		",Sukarno,1970-05-15,travel_ban,x,KPK,2026-01-01,\n" + // 9 new: no NIK, so another identity
		",Chan Cun Bing,1960-01-02,wanted,lagi,POLRI,2026-01-01,\n" + // 10 same key as line 3
		",R2D2,1970-01-01,travel_ban,x,KPK,2026-01-01,\n" // 11 digits in a name
	res, err := l.Import(ctx, strings.NewReader(file), "test", now)
	if err != nil {
		t.Fatal(err)
	}
	refused := map[int]string{}
	for _, r := range res.Refused {
		refused[r.Line] = r.Field
	}
	want := map[int]string{4: "nik", 5: "birth_date", 6: "kind", 7: "valid_to", 8: "columns", 10: "full_name", 11: "full_name"}
	if !slices.Equal(res.Added, []int{2, 3, 9}) || len(res.Updated) != 0 || len(refused) != len(want) {
		t.Fatalf("first import: %+v", res)
	}
	for line, f := range want {
		if refused[line] != f {
			t.Errorf("line %d: refused as %q, want %q", line, refused[line], f)
		}
	}

	// The same file again: nothing added or changed.
	res, err = l.Import(ctx, strings.NewReader(file), "test", now)
	if err != nil || len(res.Added)+len(res.Updated) != 0 || !slices.Equal(res.Unchanged, []int{2, 3, 9}) {
		t.Fatalf("re-import: %+v %v", res, err)
	}
	// A changed reason and end date update the entry found by NIK, even with a new spelling.
	res = importCSV(t, l, nikA+",Sukarno,1970-05-15,travel_ban,korupsi (diperpanjang),KPK,2026-01-01,2027-12-31")
	if !slices.Equal(res.Updated, []int{2}) {
		t.Fatalf("update: %+v", res)
	}
	var n int
	var reason, name string
	if err := pool.QueryRow(ctx, `SELECT count(*), max(reason), max(full_name) FROM watchlist_entries WHERE nik = $1`, nikA).Scan(&n, &reason, &name); err != nil || n != 1 || reason != "korupsi (diperpanjang)" || name != "Sukarno" {
		t.Fatalf("entry by NIK: n=%d reason=%q name=%q %v", n, reason, name, err)
	}
	// A bad header refuses the whole file.
	res, err = l.Import(ctx, strings.NewReader("nama,nik\n,Budi\n"), "test", now)
	if err != nil || len(res.Refused) != 1 || res.Refused[0].Line != 1 || len(res.Added) != 0 {
		t.Fatalf("bad header: %+v %v", res, err)
	}

	// Every write is audited per authority on the network chain, without names or NIKs.
	rows, err := pool.Query(ctx, `SELECT subject, data::text FROM audit_log WHERE office = $1 AND action = 'watchlist.import' ORDER BY seq`, audit.Network)
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for rows.Next() {
		var s, d string
		if err := rows.Scan(&s, &d); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(d, nikA) || strings.Contains(strings.ToLower(d), "sukarno") {
			t.Errorf("PII in the audit entry: %s", d)
		}
		subjects = append(subjects, s)
	}
	if want := []string{"watchlist_authority:KPK", "watchlist_authority:POLRI", "watchlist_authority:KPK"}; !slices.Equal(subjects, want) {
		t.Errorf("audit subjects %v, want %v", subjects, want)
	}
	if r, err := audit.Verify(ctx, pool); err != nil || len(r.Breaks) != 0 {
		t.Fatalf("audit chain: %+v %v", r, err)
	}
}

// Check's threshold setting reaches its query when the list runs on a pool
// (the batch is one implicit transaction) and does not leak to the session.
func TestCheckSetsTheTrigramThresholdForItsQueryOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.Pool(t, testdb.Seed{})
	l := watchlist.New(pool, watchlist.Config{Name: 0.61, NameOnly: 0.9})
	importCSV(t, l, ",Siti Aminah Putri,,wanted,x,POLRI,2026-01-01,")
	// similarity 0.67: above the default 0.3 of `%`, below NameOnly.
	if h, err := l.Check(ctx, watchlist.Query{FullName: "Siti Aminah", BirthDate: day("1990-01-01"), On: now}); err != nil || len(h) != 0 {
		t.Fatalf("%+v %v", h, err)
	}
	// What Check relies on: a local setting in a batch holds for the next statement.
	b := &pgx.Batch{}
	b.Queue(`SELECT set_config('pg_trgm.similarity_threshold', '0.9', true)`)
	var inBatch string
	b.Queue(`SELECT current_setting('pg_trgm.similarity_threshold')`).QueryRow(func(r pgx.Row) error { return r.Scan(&inBatch) })
	if err := pool.SendBatch(ctx, b).Close(); err != nil || inBatch != "0.9" {
		t.Fatalf("setting inside the batch: %q %v", inBatch, err)
	}
	var setting string
	if err := pool.QueryRow(ctx, `SELECT current_setting('pg_trgm.similarity_threshold')`).Scan(&setting); err != nil || setting != "0.3" {
		t.Fatalf("session setting after Check: %q %v", setting, err)
	}
	// Inside a caller's transaction too.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if h, err := watchlist.New(tx, watchlist.Config{Name: 0.61, NameOnly: 0.6}).Check(ctx,
		watchlist.Query{FullName: "Siti Aminah", BirthDate: day("1990-01-01"), On: now}); err != nil || len(h) != 1 {
		t.Fatalf("in a transaction: %+v %v", h, err)
	}
}
