package faceindex

import (
	"math/rand/v2"
	"testing"
)

// Micro-benchmarks for working on the index (go test -bench .); the figures
// that count come from bench/dedup. On a shared machine read the CPU time
// (/usr/bin/time), not ns/op.

func BenchmarkEncode(b *testing.B) {
	ix := New()
	v := unit(rand.New(rand.NewPCG(1, 1)))
	var e encoded
	for b.Loop() {
		e = encoded{}
		ix.encode(v, &e)
	}
}

// BenchmarkScan1M is one single-goroutine scan of a million codes.
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
		scan(codes, 0, 1_000_000, &q, minCandidates)
	}
}
