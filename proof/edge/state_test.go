package edge_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// fingerprint is one hash per table of the public schema over all its
// rows: two equal fingerprints mean no row was added, changed or removed.
type fingerprint map[string]string

func takeFingerprint(t testing.TB, pool *pgxpool.Pool) fingerprint {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		sum := `md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), ''))`
		if churning[name] {
			sum = `count(*)::text`
		}
		parts = append(parts, fmt.Sprintf(`SELECT %s::text, %s FROM %q x`, quoteLit(name), sum, name))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	fp := fingerprint{}
	rows, err = pool.Query(ctx, strings.Join(parts, " UNION ALL "))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, sum string
		if err := rows.Scan(&name, &sum); err != nil {
			t.Fatal(err)
		}
		fp[name] = sum
	}
	return fp
}

// churning tables change under the workers on their own (jobs run, the
// leader's lease renews, queued SMS are sent and their rate slots taken):
// only a row added or removed there counts.
var churning = map[string]bool{"river_job": true, "river_leader": true, "river_queue": true, "river_client": true,
	"sms_messages": true, "sms_rate": true}

func quoteLit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// changed lists the tables whose rows differ between a and b.
func changed(a, b fingerprint) []string {
	var out []string
	for k, v := range b {
		if a[k] != v {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
