package biometric

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/internal/sealed"
	"github.com/sppt/sppt/internal/testdb"
	"github.com/sppt/sppt/quota"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func unit(rng *rand.Rand) []float32 {
	v := make([]float32, Dim)
	var s float64
	for i := range v {
		x := rng.NormFloat64()
		v[i], s = float32(x), s+x*x
	}
	for i := range v {
		v[i] /= float32(math.Sqrt(s))
	}
	return v
}

// sameFace is v plus noise, at cosine c with it.
func sameFace(rng *rand.Rand, v []float32, c float64) []float32 {
	sigma := math.Sqrt((1/(c*c) - 1) / Dim)
	p := make([]float32, Dim)
	for i := range p {
		p[i] = v[i] + float32(sigma*rng.NormFloat64())
	}
	return p
}

func office(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	// the reference offices (JKS, DPS, …) through their owner
	if err := pgx.BeginFunc(context.Background(), pool, func(tx pgx.Tx) error { return quota.SeedReference(context.Background(), tx) }); err != nil {
		t.Fatal(err)
	}
}

func start(t *testing.T, ctx context.Context, pool *pgxpool.Pool, box *sealed.Box) *Builtin {
	t.Helper()
	b := NewBuiltin(pool, box, clock.System{}, quiet)
	if err := b.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTwoInstancesAndRestart: an enrolment on A is identified on B within a
// second; a re-enrolment replaces the template everywhere; a new instance
// (a restart) finds everything; the database holds no embedding in clear.
func TestTwoInstancesAndRestart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pool, url := testdb.Pool(t, testdb.Seed{})
	office(t, pool)
	poolB, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer poolB.Close()
	box := sealed.Random()
	rng := rand.New(rand.NewPCG(1, 2))

	faces := map[string][]float32{}
	a := start(t, ctx, pool, box)
	for i := range 50 {
		id := fmt.Sprintf("31740101017%05d", i)
		faces[id] = unit(rng)
		if err := a.Enrol(ctx, Enrolment{SubjectID: id, Office: "JKS", Embedding: faces[id]}); err != nil {
			t.Fatal(err)
		}
	}
	b := start(t, ctx, poolB, box)
	if b.Len() != 50 {
		t.Fatalf("B loaded %d identities, want 50", b.Len())
	}

	// Enrol on A; B finds it within a second.
	fresh := unit(rng)
	if err := a.Enrol(ctx, Enrolment{SubjectID: "APP-JKS-0001", Office: "JKS", Embedding: fresh}); err != nil {
		t.Fatal(err)
	}
	probe := sameFace(rng, fresh, 0.7)
	if got := waitFor(t, b, probe, "APP-JKS-0001", time.Second); got < 0.6 || got > 0.8 {
		t.Fatalf("B's score for the new enrolment %.3f, want about 0.7", got)
	}
	// A answers at once: its own enrolment does not wait for the poll.
	if c, _ := a.Identify(ctx, probe, 1); c[0].SubjectID != "APP-JKS-0001" {
		t.Fatalf("A: %v", c)
	}

	// Re-enrol an existing subject on B: A sees the new template, not the old.
	victim := "3174010101700007"
	replaced := unit(rng)
	if err := b.Enrol(ctx, Enrolment{SubjectID: victim, Office: "JKS", Embedding: replaced}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, a, sameFace(rng, replaced, 0.7), victim, time.Second)
	if s, _ := a.Verify(ctx, victim, faces[victim]); s > 0.3 {
		t.Fatalf("A still holds the old template (score %.3f)", s)
	}
	faces[victim] = replaced
	faces["APP-JKS-0001"] = fresh

	// A restart: a new instance on the same database finds every identity.
	c := start(t, ctx, pool, box)
	if c.Len() != len(faces) {
		t.Fatalf("after restart %d identities, want %d", c.Len(), len(faces))
	}
	for id, v := range faces {
		got, err := c.Identify(ctx, sameFace(rng, v, 0.7), 3)
		if err != nil || got[0].SubjectID != id {
			t.Fatalf("after restart, %s: %v %v", id, got, err)
		}
	}
	if s, err := c.Verify(ctx, victim, sameFace(rng, replaced, 0.7)); err != nil || s < 0.6 {
		t.Fatalf("verify after restart: %.3f %v", s, err)
	}

	// Stored sealed: no float of the embedding appears in the row, and a row
	// copied onto another subject does not open.
	var raw []byte
	pool.QueryRow(ctx, `SELECT embedding FROM face_templates WHERE subject_id = $1`, victim).Scan(&raw)
	if bytes.Contains(raw, encode(replaced)[:16]) {
		t.Fatal("the stored embedding is readable")
	}
	if _, err := box.Open(raw, aad("3174010101700008")); !errors.Is(err, sealed.ErrOpen) {
		t.Fatalf("a template opened as another subject's: %v", err)
	}
	var office *string
	pool.QueryRow(ctx, `SELECT office FROM face_templates WHERE subject_id = $1`, victim).Scan(&office)
	if office == nil || *office != "JKS" {
		t.Fatalf("office %v", office)
	}

	// Another key cannot load the templates: start-up fails loudly instead of
	// starting with an index that finds nobody.
	if err := NewBuiltin(pool, sealed.Random(), clock.System{}, quiet).Load(ctx); !errors.Is(err, sealed.ErrOpen) {
		t.Fatalf("load with the wrong key: %v", err)
	}
}

// waitFor identifies on b until want is the best hit, within d.
func waitFor(t *testing.T, b *Builtin, probe []float32, want string, d time.Duration) float64 {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		c, err := b.Identify(context.Background(), probe, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(c) > 0 && c[0].SubjectID == want {
			return c[0].Score
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not found within %s (best %v)", want, d, c)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestBuiltinRefusals(t *testing.T) {
	ctx := context.Background()
	pool, _ := testdb.Pool(t, testdb.Seed{})
	b := NewBuiltin(pool, sealed.Random(), clock.System{}, quiet)
	v := unit(rand.New(rand.NewPCG(3, 4)))
	if _, err := b.Identify(ctx, v, 5); !errors.Is(err, ErrNotReady) {
		t.Fatalf("identify before load: %v", err)
	}
	if err := b.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if c, err := b.Identify(ctx, v, 5); err != nil || len(c) != 0 {
		t.Fatalf("empty index: %v %v", c, err)
	}
	if _, err := b.Verify(ctx, "3174010101700001", v); !errors.Is(err, ErrUnknownSubject) {
		t.Fatalf("verify unknown: %v", err)
	}
	if err := b.Enrol(ctx, Enrolment{SubjectID: "3174010101700001", Embedding: v[:100]}); !errors.Is(err, ErrEmbedding) {
		t.Fatalf("short embedding: %v", err)
	}
	if err := b.Enrol(ctx, Enrolment{SubjectID: "bad id!", Embedding: v}); !errors.Is(err, ErrSubject) {
		t.Fatalf("bad subject: %v", err)
	}
	if err := b.Enrol(ctx, Enrolment{SubjectID: "3174010101700001", Embedding: make([]float32, Dim)}); !errors.Is(err, ErrEmbedding) {
		t.Fatalf("zero embedding: %v", err)
	}
	var n int
	pool.QueryRow(ctx, `SELECT count(*) FROM face_templates`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d refused templates were stored", n)
	}
}

func TestOpenPicksTheDriver(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pool, _ := testdb.Pool(t, testdb.Seed{})
	m, err := Open(ctx, config.Config{ABISDriver: "builtin", FaceMatchThreshold: 0.45}, pool, sealed.Random(), clock.System{}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.ABIS.(*Builtin); !ok || m.Threshold != 0.45 {
		t.Fatalf("builtin: %T %v", m.ABIS, m.Threshold)
	}
	if _, err := m.ABIS.Identify(ctx, unit(rand.New(rand.NewPCG(1, 1))), 1); err != nil {
		t.Fatalf("the builtin driver is not loaded after Open: %v", err)
	}
	m, err = Open(ctx, config.Config{ABISDriver: "http", ABISURL: "http://127.0.0.1:9/abis"}, nil, nil, nil, quiet)
	if _, ok := m.ABIS.(*HTTP); !ok || err != nil {
		t.Fatalf("http: %T %v", m.ABIS, err)
	}
}

func TestEnrolMany(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pool, _ := testdb.Pool(t, testdb.Seed{})
	office(t, pool)
	box := sealed.Random()
	rng := rand.New(rand.NewPCG(11, 12))
	a := start(t, ctx, pool, box)
	a.Enrol(ctx, Enrolment{SubjectID: "S-0", Embedding: unit(rng)})
	var es []Enrolment
	faces := map[string][]float32{}
	for i := range 2500 {
		id := fmt.Sprint("S-", i%2400) // 100 given twice, S-0 already enrolled
		faces[id] = unit(rng)
		es = append(es, Enrolment{SubjectID: id, Office: "JKS", Embedding: faces[id]})
	}
	if err := a.EnrolMany(ctx, append(es, Enrolment{SubjectID: "bad!", Embedding: unit(rng)})); !errors.Is(err, ErrSubject) {
		t.Fatalf("a bad subject in the batch: %v", err)
	}
	if err := a.EnrolMany(ctx, es); err != nil {
		t.Fatal(err)
	}
	b := start(t, ctx, pool, box)
	for _, ix := range []*Builtin{a, b} {
		if ix.Len() != 2400 {
			t.Fatalf("%d identities, want 2400", ix.Len())
		}
		for _, id := range []string{"S-0", "S-5", "S-2399"} {
			if s, err := ix.Verify(ctx, id, faces[id]); err != nil || s < 0.99 {
				t.Fatalf("%s: %.3f %v (the last template given must win)", id, s, err)
			}
		}
	}
}
