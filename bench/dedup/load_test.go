package dedup

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/biometric"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/sealed"
	"github.com/sppt/sppt/internal/testdb"
)

// TestBenchDedupLoad measures an instance's start-up from PostgreSQL: 100,000
// sealed templates are enrolled through Builtin.EnrolMany, then a fresh
// instance reads, decrypts and indexes them all. A million would be ten times
// the rows (2 GB of bytea), too heavy for the shared bench machine; the load is
// linear in the rows. Prints
// `dedup_load: templates=N enrol_s=… load_s=… per_template_us=…`.
func TestBenchDedupLoad(t *testing.T) {
	if os.Getenv("SPPT_BENCH") != "1" {
		t.Skip("SPPT_BENCH=1 runs the benchmarks")
	}
	n := 100_000
	if v := os.Getenv("DEDUP_LOAD_TEMPLATES"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pool, _ := testdb.Pool(t, testdb.Seed{})
	box := sealed.Random()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))

	vecs := generate(n, 2)
	es := make([]biometric.Enrolment, n)
	for i := range es {
		es[i] = biometric.Enrolment{SubjectID: subject(i), Embedding: vecs[i*dim : (i+1)*dim]}
	}
	start := time.Now()
	if err := biometric.NewBuiltin(pool, box, clock.System{}, quiet).EnrolMany(ctx, es); err != nil {
		t.Fatal(err)
	}
	enrol := time.Since(start)

	start = time.Now()
	b := biometric.NewBuiltin(pool, box, clock.System{}, quiet)
	if err := b.Load(ctx); err != nil {
		t.Fatal(err)
	}
	load := time.Since(start)
	if b.Len() != n {
		t.Fatalf("loaded %d of %d", b.Len(), n)
	}
	rng := rand.New(rand.NewPCG(13, 0))
	src := rng.IntN(n)
	c, err := b.Identify(ctx, probe(rng, vecs[src*dim:(src+1)*dim]), 1)
	if err != nil || c[0].SubjectID != subject(src) {
		t.Fatalf("after loading: %v %v", c, err)
	}
	fmt.Printf("dedup_load: templates=%d enrol_s=%.1f load_s=%.1f per_template_us=%.0f\n",
		n, enrol.Seconds(), load.Seconds(), float64(load.Microseconds())/float64(n))
}
