package biometric

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sppt/sppt/internal/config"
)

type fixed []Candidate

func (f fixed) Enrol(context.Context, Enrolment) error { return nil }
func (f fixed) Identify(context.Context, []float32, int) ([]Candidate, error) {
	return f, nil
}
func (f fixed) Verify(_ context.Context, id string, _ []float32) (float64, error) {
	for _, c := range f {
		if c.SubjectID == id {
			return c.Score, nil
		}
	}
	return 0, ErrUnknownSubject
}

func TestMatcherDecisions(t *testing.T) {
	ctx := context.Background()
	m := Matcher{ABIS: fixed{{"SELF", 0.93}, {"OTHER", 0.41}, {"FAR", 0.39}}}
	dups, err := m.Duplicates(ctx, "SELF", nil)
	if err != nil || len(dups) != 1 || dups[0].SubjectID != "OTHER" {
		t.Fatalf("duplicates at the default threshold: %v %v", dups, err)
	}
	strict := Matcher{ABIS: m.ABIS, Threshold: 0.5}
	if dups, _ := strict.Duplicates(ctx, "SELF", nil); len(dups) != 0 {
		t.Fatalf("duplicates at 0.5: %v", dups)
	}
	if ok, s, err := m.Verify(ctx, "FAR", nil); ok || s != 0.39 || err != nil {
		t.Fatalf("verify FAR: %v %v %v", ok, s, err)
	}
	if ok, _, _ := m.Verify(ctx, "OTHER", nil); !ok {
		t.Fatal("0.41 is not a match at 0.40")
	}
	if _, _, err := m.Verify(ctx, "NOBODY", nil); err != ErrUnknownSubject {
		t.Fatalf("verify unknown: %v", err)
	}
}

func TestConfigDefaultIsOurs(t *testing.T) {
	t.Setenv("FACE_MATCH_THRESHOLD", "")
	c, err := config.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if c.FaceMatchThreshold != DefaultThreshold {
		t.Fatalf("config's default %v, biometric's %v", c.FaceMatchThreshold, DefaultThreshold)
	}
}

// TestThresholdTradeoff measures the false-match and false-non-match rates
// that chose DefaultThreshold, on the synthetic distribution of the dedup
// bench. Strangers: random 512-dimensional unit vectors, whose cosine has
// density ∝ (1−x²)^((d−3)/2) (computed exactly here, and checked against
// 20,000 sampled pairs). Same person: cosine about 0.7, but capture quality
// varies, so each pair's cosine is drawn around 0.7 with a spread of 0.1 (a
// fixed 0.7 would make every threshold below 0.6 look perfect). The 1:N false
// match rate is the chance that a search of 10 million strangers finds one at
// or above the threshold.
func TestThresholdTradeoff(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const pairs = 20000
	genuine := make([]float64, pairs)
	var impostorMax, sum2 float64
	for i := range pairs {
		v := unit(rng)
		target := min(0.99, max(0.05, 0.7+0.1*rng.NormFloat64()))
		genuine[i] = cos(v, sameFace(rng, v, target))
		imp := cos(v, unit(rng))
		impostorMax, sum2 = max(impostorMax, imp), sum2+imp*imp
	}
	if sd := math.Sqrt(sum2 / pairs); math.Abs(sd-1/math.Sqrt(Dim)) > 0.002 {
		t.Fatalf("sampled strangers' spread %.4f, the model says %.4f", sd, 1/math.Sqrt(Dim))
	}
	if impostorMax > 0.25 {
		t.Fatalf("a sampled stranger scored %.3f", impostorMax)
	}
	t.Logf("threshold  FNMR     FMR(1:1)   FMR(1:N, N=1e6)  FMR(1:N, N=1e7)")
	for _, th := range []float64{0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60} {
		fnmr := below(genuine, th)
		p := strangerTail(th)
		t.Logf("%.2f       %.4f   %.1e    %.1e          %.1e", th, fnmr, p, searchFMR(p, 1e6), searchFMR(p, 1e7))
		if th == DefaultThreshold {
			if fnmr > 0.005 || searchFMR(p, 1e7) > 1e-6 {
				t.Errorf("at the default %.2f: FNMR %.4f, 1:N FMR %.1e", th, fnmr, searchFMR(p, 1e7))
			}
		}
	}
}

func cos(a, b []float32) float64 {
	var d, na, nb float64
	for i := range a {
		d += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return d / math.Sqrt(na*nb)
}

func below(xs []float64, th float64) float64 {
	n := 0
	for _, x := range xs {
		if x < th {
			n++
		}
	}
	return float64(n) / float64(len(xs))
}

// strangerTail is P(cosine ≥ t) for two random unit vectors in Dim
// dimensions, by Simpson's rule on the density (1−x²)^((Dim−3)/2).
func strangerTail(t float64) float64 {
	f := func(x float64) float64 { return math.Pow(1-x*x, float64(Dim-3)/2) }
	integral := func(a, b float64) float64 {
		const n = 20000
		h := (b - a) / n
		s := f(a) + f(b)
		for i := 1; i < n; i++ {
			w := 2.0
			if i%2 == 1 {
				w = 4
			}
			s += w * f(a+float64(i)*h)
		}
		return s * h / 3
	}
	return integral(t, 1) / integral(-1, 1)
}

// searchFMR is the chance that a search of n strangers finds one at or above
// a threshold each passes with probability p.
func searchFMR(p, n float64) float64 { return -math.Expm1(n * math.Log1p(-p)) }
