package faceindex

import "math/bits"

type cand struct {
	dist int32
	slot int32
}

// scan returns the k slots in [lo, hi) nearest to q by Hamming distance, in a
// max-heap (the farthest kept at h[0], the bar a slot must beat).
func scan(codes []uint64, lo, hi int, q *[words]uint64, k int) []cand {
	h := make([]cand, 0, k)
	bar := int32(Dim + 1)
	q0, q1, q2, q3, q4, q5, q6, q7 := q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7]
	for s := lo; s < hi; s++ {
		c := codes[s*words : s*words+words : s*words+words]
		d := int32(bits.OnesCount64(c[0]^q0) + bits.OnesCount64(c[1]^q1) +
			bits.OnesCount64(c[2]^q2) + bits.OnesCount64(c[3]^q3) +
			bits.OnesCount64(c[4]^q4) + bits.OnesCount64(c[5]^q5) +
			bits.OnesCount64(c[6]^q6) + bits.OnesCount64(c[7]^q7))
		if d >= bar {
			continue
		}
		if len(h) < k {
			h = append(h, cand{d, int32(s)})
			up(h, len(h)-1)
			if len(h) == k {
				bar = h[0].dist
			}
			continue
		}
		h[0] = cand{d, int32(s)}
		down(h)
		bar = h[0].dist
	}
	return h
}

func up(h []cand, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if h[p].dist >= h[i].dist {
			return
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func down(h []cand) {
	i, n := 0, len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h[r].dist > h[l].dist {
			m = r
		}
		if h[i].dist >= h[m].dist {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}
