// Package faceindex is the builtin ABIS's in-memory 1:N face index: binary
// quantisation with cosine rescoring, the technique vector databases use for
// large flat indexes.
//
// Each embedding is rotated by a fixed pseudo-random rotation and kept twice:
// as a 512-bit code (the signs of the rotated coordinates; the Hamming distance
// between two codes estimates the angle between the vectors) and as int8
// coordinates (for the cosine itself). A search scans every code with popcount,
// split over GOMAXPROCS goroutines, keeps the nearest few hundred by Hamming
// distance, and rescores those by cosine. At one million identities that is 64
// MB of codes read per search (about 6 ms of CPU) and about 650 MB held in
// all; there is no graph to build, so loading is as fast as decoding.
//
// Scores are cosine similarities computed from the int8 copy: within 0.003
// of the float32 cosine (TestSearchMatchesExact).
package faceindex

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
)

// Dim is the embedding length the index takes (CONTRACT.md: 512 numbers).
const Dim = 512

const words = Dim / 64

// minCandidates is how many nearest codes each scan part keeps for rescoring.
// The Hamming distance between codes is about 512·θ/π for vectors at angle θ:
// a same-person probe at cosine 0.7 differs in a quarter of the bits (129 ±
// 10), a stranger in half (256 ± 11), and the 256th-nearest of half a million
// strangers sits near 221. So the true identity is kept with certainty at 0.7,
// and still 999 times in 1,000 at cosine 0.4, the match threshold. Rescoring
// 256 per part costs a fraction of a millisecond.
const minCandidates = 256

// parallelFrom is the index size from which a search is split over goroutines.
const parallelFrom = 1 << 14

var (
	ErrDim     = fmt.Errorf("faceindex: an embedding has %d numbers", Dim)
	ErrInvalid = errors.New("faceindex: an embedding must be finite and not all zero")
)

// Hit is one identity found by Search, best first.
type Hit struct {
	SubjectID string
	Score     float32 // cosine similarity
}

// Index is safe for concurrent use; searches run in parallel with each other.
type Index struct {
	rot *rotation

	mu       sync.RWMutex
	codes    []uint64  // words per slot
	vecs     []int8    // Dim per slot, the rotated unit vector scaled to ±127
	inv      []float32 // 1/‖int8 vector‖ per slot
	ids      []string
	versions []int64
	slot     map[string]int32
}

func New() *Index {
	return &Index{rot: newRotation(), slot: map[string]int32{}}
}

// Reserve grows the index's storage for n more identities (before a bulk load).
func (ix *Index) Reserve(n int) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.codes = slices.Grow(ix.codes, n*words)
	ix.vecs = slices.Grow(ix.vecs, n*Dim)
	ix.inv = slices.Grow(ix.inv, n)
	ix.ids = slices.Grow(ix.ids, n)
	ix.versions = slices.Grow(ix.versions, n)
}

// Len is the number of identities held.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.ids)
}

type encoded struct {
	code [words]uint64
	vec  [Dim]int8
	inv  float32
	rot  [Dim]float32 // the rotated unit vector, for scoring a query
}

func (ix *Index) encode(x []float32, e *encoded) error {
	if len(x) != Dim {
		return ErrDim
	}
	var sum float64
	for _, v := range x {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return ErrInvalid
		}
		sum += float64(v) * float64(v)
	}
	if sum == 0 || math.IsInf(sum, 0) {
		return ErrInvalid
	}
	ix.rot.apply(x, &e.rot)
	n := float32(1 / math.Sqrt(sum))
	var peak float32
	for i := range e.rot {
		e.rot[i] *= n
		peak = max(peak, abs(e.rot[i]))
		if e.rot[i] >= 0 {
			e.code[i/64] |= 1 << (i % 64)
		}
	}
	k := 127 / peak
	var q2 int32
	for i, v := range e.rot {
		x := v * k
		if x >= 0 {
			x += 0.5
		} else {
			x -= 0.5
		}
		q := int32(x) // rounds half away from zero; |q| ≤ 127
		e.vec[i] = int8(q)
		q2 += q * q
	}
	e.inv = float32(1 / math.Sqrt(float64(q2)))
	return nil
}

// Put enrols or replaces subjectID's embedding. version orders replacements
// (the store's row id): an older version than the one held is ignored, so
// replaying a change is harmless. The encoding runs outside the lock: calling
// Put from several goroutines loads in parallel.
func (ix *Index) Put(subjectID string, version int64, x []float32) error {
	var e encoded
	if err := ix.encode(x, &e); err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	s, ok := ix.slot[subjectID]
	if !ok {
		s = int32(len(ix.ids))
		ix.slot[subjectID] = s
		ix.codes = append(ix.codes, e.code[:]...)
		ix.vecs = append(ix.vecs, e.vec[:]...)
		ix.inv = append(ix.inv, e.inv)
		ix.ids = append(ix.ids, subjectID)
		ix.versions = append(ix.versions, version)
		return nil
	}
	if version < ix.versions[s] {
		return nil
	}
	copy(ix.codes[int(s)*words:], e.code[:])
	copy(ix.vecs[int(s)*Dim:], e.vec[:])
	ix.inv[s] = e.inv
	ix.versions[s] = version
	return nil
}

// Remove forgets subjectID (retention); the last slot moves into its place.
func (ix *Index) Remove(subjectID string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	s, ok := ix.slot[subjectID]
	if !ok {
		return
	}
	last := int32(len(ix.ids) - 1)
	if s != last {
		copy(ix.codes[int(s)*words:int(s+1)*words], ix.codes[int(last)*words:])
		copy(ix.vecs[int(s)*Dim:int(s+1)*Dim], ix.vecs[int(last)*Dim:])
		ix.inv[s], ix.ids[s], ix.versions[s] = ix.inv[last], ix.ids[last], ix.versions[last]
		ix.slot[ix.ids[s]] = s
	}
	delete(ix.slot, subjectID)
	ix.codes = ix.codes[:int(last)*words]
	ix.vecs = ix.vecs[:int(last)*Dim]
	ix.inv, ix.ids, ix.versions = ix.inv[:last], ix.ids[:last], ix.versions[:last]
}

// Verify is the 1:1 comparison with subjectID's embedding; ok is false when
// the subject is not enrolled.
func (ix *Index) Verify(subjectID string, x []float32) (score float32, ok bool, err error) {
	var e encoded
	if err := ix.encode(x, &e); err != nil {
		return 0, false, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s, ok := ix.slot[subjectID]
	if !ok {
		return 0, false, nil
	}
	return ix.score(&e.rot, s), true, nil
}

// Search returns up to limit identities most similar to x, best first.
func (ix *Index) Search(x []float32, limit int) ([]Hit, error) {
	var e encoded
	if err := ix.encode(x, &e); err != nil {
		return nil, err
	}
	if limit <= 0 {
		return nil, nil
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	n := len(ix.ids)
	k := max(minCandidates, 2*limit)
	parts := 1
	if n >= parallelFrom {
		parts = runtime.GOMAXPROCS(0)
	}
	found := make([][]cand, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := n*p/parts, n*(p+1)/parts
		wg.Go(func() { found[p] = scan(ix.codes, lo, hi, &e.code, k) })
	}
	wg.Wait()
	hits := make([]Hit, 0, parts*k)
	for _, cs := range found {
		for _, c := range cs {
			hits = append(hits, Hit{SubjectID: ix.ids[c.slot], Score: ix.score(&e.rot, c.slot)})
		}
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return compareStrings(a.SubjectID, b.SubjectID)
	})
	return hits[:min(limit, len(hits))], nil
}

// score is the cosine of a rotated unit query with slot s (under the lock).
func (ix *Index) score(q *[Dim]float32, s int32) float32 {
	v := ix.vecs[int(s)*Dim : int(s+1)*Dim : int(s+1)*Dim]
	var sum float32
	for i := 0; i < Dim; i += 4 {
		sum += q[i]*float32(v[i]) + q[i+1]*float32(v[i+1]) + q[i+2]*float32(v[i+2]) + q[i+3]*float32(v[i+3])
	}
	return min(1, max(-1, sum*ix.inv[s]))
}

// MemBytes estimates the index's memory: its arrays, the subject ids and the
// id map.
func (ix *Index) MemBytes() int64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	b := int64(cap(ix.codes))*8 + int64(cap(ix.vecs)) + int64(cap(ix.inv))*4 + int64(cap(ix.versions))*8 + int64(cap(ix.ids))*16
	for _, id := range ix.ids {
		b += int64(len(id)) + 48 // the string and its map entry
	}
	return b
}

func abs(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
