package faceindex

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkEncode(b *testing.B) {
	ix := New()
	v := unit(rand.New(rand.NewPCG(1, 1)))
	var e encoded
	for b.Loop() {
		e = encoded{}
		ix.encode(v, &e)
	}
}

func BenchmarkFWHT(b *testing.B) {
	var y [Dim]float32
	for b.Loop() {
		fwht(&y)
	}
}

func BenchmarkNorm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for b.Loop() {
		rng.NormFloat64()
	}
}

// BenchmarkScan1M reports the CPU time of one single-goroutine scan of a
// million codes (wall time on a shared machine says little).
func BenchmarkScan1M(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	codes := make([]uint64, 1_000_000*words)
	for i := range codes {
		codes[i] = rng.Uint64()
	}
	var q [words]uint64
	for i := range q {
		q[i] = rng.Uint64()
	}
	for b.Loop() {
		scan(codes, 0, 1_000_000, &q, 256)
	}
}

func BenchmarkScanCached(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	codes := make([]uint64, 16384*words)
	for i := range codes {
		codes[i] = rng.Uint64()
	}
	var q [words]uint64
	for b.Loop() {
		for range 61 {
			scan(codes, 0, 16384, &q, 256)
		}
	}
}
