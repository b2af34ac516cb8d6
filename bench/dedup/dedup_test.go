// Package dedup measures 1:N face identification at national scale (issue 11,
// item 4): 1,000,000 synthetic identities (seeded random 512-dimensional unit
// vectors) in the builtin ABIS's index, searched with "same person" probes
// (the enrolled vector plus Gaussian noise, cosine 0.7 with it, as real face
// models give for two captures of one person; strangers sit near 0).
//
// The index is filled in memory through faceindex.Put, as the builtin driver
// does after reading the templates from PostgreSQL; reading and decrypting a
// million rows is not part of this figure.
//
// p50/p99 are over 500 searches (limit 10) after a short unmeasured warm-up;
// recall_at_1 is the share of those whose best hit is the identity the probe
// was made from. exact_scan_ms is the median of a brute-force float32 cosine
// scan over all identities, split over the same GOMAXPROCS goroutines, for
// every 25th of the same probes (20; each takes a few hundred milliseconds),
// and ratio = exact_scan_ms / p50_ms (how many times faster the index is). The test fails if the exact scan ever
// disagrees with the ground truth (then the data, not the index, is wrong);
// the targets (p99 ≤ 50 ms, recall ≥ 0.99) are reported, not asserted. A
// second set of 100 probes at cosine 0.45, just above the match threshold,
// reports (in the test log) how the index does on poor captures.
// mem_mb is the Go heap the index holds: live heap after building it minus
// before, both after a collection.
package dedup

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sppt/sppt/internal/faceindex"
)

const (
	dim     = faceindex.Dim
	queries = 500
	exactOf = 25 // every 25th probe is also scanned by brute force
	same    = 0.7
)

func TestBenchDedup(t *testing.T) {
	if os.Getenv("SPPT_BENCH") != "1" {
		t.Skip("SPPT_BENCH=1 runs the benchmarks")
	}
	n := 1_000_000
	if v := os.Getenv("DEDUP_IDENTITIES"); v != "" { // smaller runs while developing
		n, _ = strconv.Atoi(v)
	}
	procs := runtime.GOMAXPROCS(0)

	start := time.Now()
	vecs := generate(n, procs)
	t.Logf("generated %d vectors in %s", n, time.Since(start).Round(time.Millisecond))

	before := liveHeap()
	start = time.Now()
	ix := faceindex.New()
	ix.Reserve(n)
	var wg sync.WaitGroup
	for p := range procs {
		wg.Go(func() {
			for i := n * p / procs; i < n*(p+1)/procs; i++ {
				if err := ix.Put(subject(i), 1, vecs[i*dim:(i+1)*dim]); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	build := time.Since(start)
	memMB := float64(liveHeap()-before) / (1 << 20)
	t.Logf("built the index in %s", build.Round(time.Millisecond))

	rng := rand.New(rand.NewPCG(11, 0))
	sources := make([]int, queries)
	probes := make([][]float32, queries)
	for q := range probes {
		sources[q] = rng.IntN(n)
		probes[q] = probe(rng, vecs[sources[q]*dim:(sources[q]+1)*dim])
	}
	for q := range 20 { // warm-up: caches, goroutine stacks
		ix.Search(probes[q], 10)
	}

	lat := make([]float64, queries)
	found := 0
	cpu0 := cpuTime()
	for q, p := range probes {
		t0 := time.Now()
		hits, err := ix.Search(p, 10)
		lat[q] = ms(time.Since(t0))
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) > 0 && hits[0].SubjectID == subject(sources[q]) {
			found++
		}
	}

	// CPU per search does not depend on what else the machine runs; the
	// latencies do (on a shared 2-core machine a search waits for a core).
	t.Logf("CPU per search %.1f ms (both cores together); load average %s",
		ms(cpuTime()-cpu0)/queries, loadavg())

	var exact []float64
	var impostor float64 // the best stranger's cosine over the exact scans
	for q := 0; q < queries; q += exactOf {
		t0 := time.Now()
		best, second := exactScan(vecs, probes[q], procs)
		exact = append(exact, ms(time.Since(t0)))
		if best.slot != sources[q] {
			t.Fatalf("probe %d: the exact scan finds %d, not its source %d", q, best.slot, sources[q])
		}
		impostor = max(impostor, second.score)
	}
	poor := 0
	for range 100 {
		src := rng.IntN(n)
		hits, _ := ix.Search(probeAt(rng, vecs[src*dim:(src+1)*dim], 0.45), 10)
		if len(hits) > 0 && hits[0].SubjectID == subject(src) {
			poor++
		}
	}
	t.Logf("recall@1 of 100 probes at cosine 0.45: %.2f", float64(poor)/100)
	t.Logf("best stranger's cosine over %d exact scans of %d identities: %.3f", len(exact), n, impostor)

	p50, p99 := pct(lat, 50), pct(lat, 99)
	exactMs := pct(exact, 50)
	fmt.Printf("dedup: identities=%d p50_ms=%.2f p99_ms=%.2f recall_at_1=%.3f exact_scan_ms=%.1f ratio=%.1f mem_mb=%.0f\n",
		n, p50, p99, float64(found)/queries, exactMs, exactMs/p50, memMB)
	runtime.KeepAlive(ix)
}

func subject(i int) string { return fmt.Sprintf("%016d", 3174010101700000+i) }

// generate returns n seeded random unit vectors, one after another.
func generate(n, procs int) []float32 {
	vecs := make([]float32, n*dim)
	var wg sync.WaitGroup
	for p := range procs {
		wg.Go(func() {
			lo, hi := n*p/procs, n*(p+1)/procs
			rng := rand.New(rand.NewPCG(uint64(lo), 42))
			for i := lo; i < hi; i++ {
				v := vecs[i*dim : (i+1)*dim]
				var s float64
				for j := range v {
					x := rng.NormFloat64()
					v[j], s = float32(x), s+x*x
				}
				k := float32(1 / math.Sqrt(s))
				for j := range v {
					v[j] *= k
				}
			}
		})
	}
	wg.Wait()
	return vecs
}

// probe is v plus Gaussian noise scaled so that its cosine with v is `same`.
func probe(rng *rand.Rand, v []float32) []float32 { return probeAt(rng, v, same) }

func probeAt(rng *rand.Rand, v []float32, c float64) []float32 {
	sigma := math.Sqrt((1/(c*c) - 1) / dim)
	p := make([]float32, dim)
	for i := range p {
		p[i] = v[i] + float32(sigma*rng.NormFloat64())
	}
	return p
}

type scored struct {
	slot  int
	score float64
}

// exactScan is the brute force: the cosine with every identity (stored unit
// vectors, so a dot product over the probe's norm), best two kept.
func exactScan(vecs, q []float32, procs int) (best, second scored) {
	var qn float64
	for _, x := range q {
		qn += float64(x) * float64(x)
	}
	n := len(vecs) / dim
	tops := make([][2]scored, procs)
	var wg sync.WaitGroup
	for p := range procs {
		wg.Go(func() {
			top := [2]scored{{-1, -2}, {-1, -2}}
			for i := n * p / procs; i < n*(p+1)/procs; i++ {
				v := vecs[i*dim : (i+1)*dim : (i+1)*dim]
				var s0, s1, s2, s3 float32
				for j := 0; j < dim; j += 4 {
					s0 += q[j] * v[j]
					s1 += q[j+1] * v[j+1]
					s2 += q[j+2] * v[j+2]
					s3 += q[j+3] * v[j+3]
				}
				c := float64(s0+s1+s2+s3) / math.Sqrt(qn)
				if c > top[1].score {
					top[1] = scored{i, c}
					if c > top[0].score {
						top[0], top[1] = top[1], top[0]
					}
				}
			}
			tops[p] = top
		})
	}
	wg.Wait()
	all := []scored{}
	for _, tp := range tops {
		all = append(all, tp[:]...)
	}
	slices.SortFunc(all, func(a, b scored) int {
		if a.score > b.score {
			return -1
		}
		if a.score < b.score {
			return 1
		}
		return 0
	})
	return all[0], all[1]
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func pct(xs []float64, p int) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}
