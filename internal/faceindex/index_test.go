package faceindex

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

func unit(rng *rand.Rand) []float32 {
	v := make([]float32, Dim)
	var s float64
	for i := range v {
		x := rng.NormFloat64()
		v[i] = float32(x)
		s += x * x
	}
	n := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= n
	}
	return v
}

// probe is v plus Gaussian noise scaled so that its cosine with v is about c.
func probe(rng *rand.Rand, v []float32, c float64) []float32 {
	sigma := math.Sqrt((1/(c*c) - 1) / Dim)
	p := make([]float32, Dim)
	for i := range p {
		p[i] = v[i] + float32(sigma*rng.NormFloat64())
	}
	return p
}

func cosine(a, b []float32) float64 {
	var d, na, nb float64
	for i := range a {
		d += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return d / math.Sqrt(na*nb)
}

func TestRotationKeepsDotProducts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	r := newRotation()
	a, b := unit(rng), unit(rng)
	var ra, rb [Dim]float32
	r.apply(a, &ra)
	r.apply(b, &rb)
	if got, want := cosine(ra[:], rb[:]), cosine(a, b); math.Abs(got-want) > 1e-5 {
		t.Fatalf("rotated cosine %f, original %f", got, want)
	}
	var n float64
	for _, v := range ra {
		n += float64(v) * float64(v)
	}
	if math.Abs(n-1) > 1e-4 {
		t.Fatalf("rotated norm² %f, want 1", n)
	}
	// Another instance computes the same rotation (the seed is fixed).
	var again [Dim]float32
	newRotation().apply(a, &again)
	if again != ra {
		t.Fatal("two instances rotate differently")
	}
}

// TestSearchMatchesExact compares the index with a brute-force float64 scan:
// same top-1 for every same-person probe, scores close to the exact cosines.
func TestSearchMatchesExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 20000 // above parallelFrom: the split scan is exercised
	ix := New()
	vs := make([][]float32, n)
	for i := range vs {
		vs[i] = unit(rng)
		if err := ix.Put(fmt.Sprint("S", i), 1, vs[i]); err != nil {
			t.Fatal(err)
		}
	}
	// 60 queries: the exact scan below is most of this test's time under
	// -race (200 took a minute of CI); recall is measured at scale by bench/dedup.
	const queries = 60
	miss := 0
	for q := range queries {
		src := rng.IntN(n)
		p := probe(rng, vs[src], 0.7)
		best, bestScore := -1, -2.0
		for i, v := range vs {
			if c := cosine(p, v); c > bestScore {
				best, bestScore = i, c
			}
		}
		hits, err := ix.Search(p, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != 5 {
			t.Fatalf("query %d: %d hits, want 5", q, len(hits))
		}
		if hits[0].SubjectID != fmt.Sprint("S", best) {
			miss++
			continue
		}
		if d := math.Abs(float64(hits[0].Score) - bestScore); d > 0.003 {
			t.Errorf("query %d: score %f, exact %f", q, hits[0].Score, bestScore)
		}
		if !slices.IsSortedFunc(hits, func(a, b Hit) int { return -cmpf(a.Score, b.Score) }) {
			t.Errorf("query %d: hits not best first: %v", q, hits)
		}
	}
	if miss > 1 {
		t.Fatalf("recall@1 %d of %d, want at most one miss", queries-miss, queries)
	}
}

func cmpf(a, b float32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestEmptyAndLimit(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ix := New()
	hits, err := ix.Search(unit(rng), 10)
	if err != nil || len(hits) != 0 {
		t.Fatalf("empty index: %v, %v", hits, err)
	}
	if _, ok, err := ix.Verify("nobody", unit(rng)); ok || err != nil {
		t.Fatalf("verify on empty index: ok=%v err=%v", ok, err)
	}
	for i := range 3 {
		ix.Put(fmt.Sprint("S", i), 1, unit(rng))
	}
	if hits, _ := ix.Search(unit(rng), 10); len(hits) != 3 {
		t.Fatalf("limit above size: %d hits, want 3", len(hits))
	}
	if hits, _ := ix.Search(unit(rng), 2); len(hits) != 2 {
		t.Fatalf("limit 2: %d hits", len(hits))
	}
	if hits, _ := ix.Search(unit(rng), 0); len(hits) != 0 {
		t.Fatalf("limit 0: %d hits", len(hits))
	}
}

func TestReenrolReplaces(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	ix := New()
	old, fresh, other := unit(rng), unit(rng), unit(rng)
	ix.Put("A", 1, old)
	ix.Put("B", 2, other)
	ix.Put("A", 3, fresh)
	if ix.Len() != 2 {
		t.Fatalf("len %d after re-enrol, want 2", ix.Len())
	}
	if s, _, _ := ix.Verify("A", fresh); s < 0.99 {
		t.Fatalf("A against its new embedding: %f", s)
	}
	if s, _, _ := ix.Verify("A", old); s > 0.3 {
		t.Fatalf("A still matches its old embedding: %f", s)
	}
	// A replayed older version changes nothing.
	ix.Put("A", 1, old)
	if s, _, _ := ix.Verify("A", fresh); s < 0.99 {
		t.Fatalf("stale version replaced A: %f", s)
	}
	hits, _ := ix.Search(old, 2)
	for _, h := range hits {
		if h.Score > 0.3 {
			t.Fatalf("old embedding still found: %v", hits)
		}
	}
}

func TestRemove(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	ix := New()
	vs := [][]float32{unit(rng), unit(rng), unit(rng)}
	for i, v := range vs {
		ix.Put(fmt.Sprint("S", i), 1, v)
	}
	ix.Remove("S0")
	ix.Remove("missing")
	if ix.Len() != 2 {
		t.Fatalf("len %d, want 2", ix.Len())
	}
	if _, ok, _ := ix.Verify("S0", vs[0]); ok {
		t.Fatal("S0 still enrolled")
	}
	// S2 moved into S0's slot and is still itself.
	if s, ok, _ := ix.Verify("S2", vs[2]); !ok || s < 0.99 {
		t.Fatalf("S2 after the move: %f %v", s, ok)
	}
	if hits, _ := ix.Search(vs[2], 1); hits[0].SubjectID != "S2" {
		t.Fatalf("search after remove: %v", hits)
	}
}

func TestBadEmbeddings(t *testing.T) {
	ix := New()
	if err := ix.Put("A", 1, make([]float32, 128)); err != ErrDim {
		t.Fatalf("128 numbers: %v", err)
	}
	if err := ix.Put("A", 1, make([]float32, Dim)); err != ErrInvalid {
		t.Fatalf("all zero: %v", err)
	}
	v := make([]float32, Dim)
	v[3] = float32(math.NaN())
	if _, err := ix.Search(v, 1); err != ErrInvalid {
		t.Fatalf("NaN: %v", err)
	}
	if ix.Len() != 0 {
		t.Fatal("a refused embedding was enrolled")
	}
}

// TestConcurrentUse: enrolments, removals and searches at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	ix := New()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for i := range 300 {
				id := fmt.Sprint("W", w, "-", i%50)
				ix.Put(id, int64(i), unit(rng))
				if i%7 == 0 {
					ix.Remove(id)
				}
				if _, err := ix.Search(unit(rng), 3); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := ix.Len(); n == 0 || n > 200 {
		t.Fatalf("len %d", n)
	}
}
