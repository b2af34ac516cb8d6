package faceindex

import (
	"math"
	"math/rand/v2"
)

// rounds of (random signs, Walsh–Hadamard) make the fixed pseudo-random
// rotation. A rotation keeps every dot product, so cosines computed on rotated
// vectors are the cosines of the originals; it spreads each vector's energy
// evenly over the coordinates, which makes the sign bits balanced and the
// int8 steps small whatever the face model's coordinates look like. Three
// rounds are the usual choice for a structured random rotation; each costs
// Dim·log2(Dim) additions instead of the Dim² multiplications of a dense
// random matrix (20× cheaper at 512 dimensions).
const rounds = 3

// seed fixes the rotation: every instance and every restart computes the same
// codes. The codes are never stored, so changing it only needs a restart.
const seed = 0x5350_5054_4641_4345 // "SPPTFACE"

type rotation struct {
	signs [rounds][Dim]float32
}

func newRotation() *rotation {
	r := &rotation{}
	rng := rand.New(rand.NewPCG(seed, seed>>1))
	for k := range r.signs {
		for i := range r.signs[k] {
			r.signs[k][i] = 1
			if rng.Uint64()&1 == 1 {
				r.signs[k][i] = -1
			}
		}
	}
	return r
}

// apply rotates x (len Dim) into y, scaled to keep the norm.
func (r *rotation) apply(x []float32, y *[Dim]float32) {
	copy(y[:], x)
	for k := range r.signs {
		s := &r.signs[k]
		for i := range y {
			y[i] *= s[i]
		}
		fwht(y)
	}
	norm := float32(math.Pow(1/math.Sqrt(Dim), rounds))
	for i := range y {
		y[i] *= norm
	}
}

// fwht is the in-place, unnormalised fast Walsh–Hadamard transform: the first
// two levels as 4-point butterflies, the rest four lanes at a time.
func fwht(y *[Dim]float32) {
	for i := 0; i < Dim; i += 4 {
		a, b, c, d := y[i], y[i+1], y[i+2], y[i+3]
		s0, d0, s1, d1 := a+b, a-b, c+d, c-d
		y[i], y[i+1], y[i+2], y[i+3] = s0+s1, d0+d1, s0-s1, d0-d1
	}
	for h := 4; h < Dim; h *= 2 {
		for i := 0; i < Dim; i += 2 * h {
			a := y[i : i+h : i+h]
			b := y[i+h : i+2*h : i+2*h]
			b = b[:len(a)]
			for j := 0; j+3 < len(a); j += 4 {
				a0, a1, a2, a3 := a[j], a[j+1], a[j+2], a[j+3]
				b0, b1, b2, b3 := b[j], b[j+1], b[j+2], b[j+3]
				a[j], a[j+1], a[j+2], a[j+3] = a0+b0, a1+b1, a2+b2, a3+b3
				b[j], b[j+1], b[j+2], b[j+3] = a0-b0, a1-b1, a2-b2, a3-b3
			}
		}
	}
}
