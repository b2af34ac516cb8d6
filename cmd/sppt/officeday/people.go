package officeday

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// applicant is one person of the day and what the simulation learns of them.
type applicant struct {
	i                   int
	nik, name, birth    string
	sex, phone, service string
	walkin              bool
	stopAt              string // Spread: the stage they are left in ("" goes to pickup)
	face                []float64
	arrive              time.Duration // after opening
	payAfter, backAfter time.Duration // simulated
	code, token, no     string
	bill                chan string // billing code from the bill SMS
	ready               chan struct{}
	handed              chan struct{}
	points              int        // queue points passed: the number, each call
	expected            *time.Time // the call time the newest ticket predicted
	naive               *time.Time // and the naive baseline's
	issued              time.Time  // when the newest ticket was issued
	readyAt, tookIn     bool
}

var (
	givenM  = []string{"BUDI", "AGUS", "ANDI", "RUDI", "HENDRA", "DIMAS", "FAJAR", "IWAN", "YUSUF", "RIZKY", "ARIF", "BAYU"}
	givenF  = []string{"SITI", "DEWI", "RINA", "AYU", "PUTRI", "NUR", "INDAH", "MAYA", "LESTARI", "FITRI", "WULAN", "RATNA"}
	family  = []string{"SANTOSO", "WIJAYA", "HIDAYAT", "PRATAMA", "SAPUTRA", "LESMANA", "NASUTION", "SIREGAR", "HASIBUAN", "TANJUNG", "PURNOMO", "KUSUMA"}
	regions = []string{"317401", "317402", "317403", "327305", "357801", "517101"}
)

// stages a Spread simulation leaves people in, one share each.
var spreadStops = []string{"booked", "desk", "biometric", "adjudication", "billing", "validation", "ready"}

// people draws n applicants from rng: who they are, whether they walk in,
// when they arrive and how long they take to pay and to come back.
func people(rng *rand.Rand, n int, span time.Duration, spread bool, day time.Time) []*applicant {
	out := make([]*applicant, n)
	phones := rng.IntN(1_000_000)
	for i := range out {
		a := &applicant{i: i, bill: make(chan string, 1), ready: make(chan struct{}, 1), handed: make(chan struct{})}
		female := rng.IntN(2) == 0
		birth := time.Date(1960+rng.IntN(45), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		dd := birth.Day()
		a.sex, a.name = "M", givenM[rng.IntN(len(givenM))]+" "+family[rng.IntN(len(family))]
		if female {
			dd += 40
			a.sex, a.name = "F", givenF[rng.IntN(len(givenF))]+" "+family[rng.IntN(len(family))]
		}
		a.birth = birth.Format("2006-01-02")
		a.nik = fmt.Sprintf("%s%02d%02d%02d%04d", regions[rng.IntN(len(regions))], dd, int(birth.Month()), birth.Year()%100, 1+rng.IntN(9999))
		a.phone = fmt.Sprintf("+62812%02d%06d", day.Day(), (phones+i)%1_000_000)
		a.service = "new"
		if rng.IntN(10) < 3 {
			a.service = "renewal"
		}
		a.walkin = rng.IntN(10) < 2
		// Most come in the morning: arrivals thin out over the span.
		a.arrive = time.Duration(float64(span) * (1 - math.Sqrt(1-rng.Float64())))
		a.payAfter = time.Duration(5+rng.IntN(40)) * time.Minute
		a.backAfter = time.Duration(10+rng.IntN(50)) * time.Minute
		if spread && rng.IntN(10) < 7 {
			a.stopAt = spreadStops[rng.IntN(len(spreadStops))]
		}
		a.face = face(rng)
		out[i] = a
	}
	return out
}

// face is a random unit embedding: strangers' faces score near 0 against
// each other, far below any match threshold.
func face(rng *rand.Rand) []float64 {
	v := make([]float64, 512)
	var s float64
	for i := range v {
		v[i] = rng.NormFloat64()
		s += v[i] * v[i]
	}
	for i := range v {
		v[i] /= math.Sqrt(s)
	}
	return v
}

// serviceTime draws a step's duration around mean (lognormal, sd half the
// mean): most are near it, a few take much longer.
func serviceTime(rng *rand.Rand, mean time.Duration) time.Duration {
	const sigma = 0.47 // sd/mean = 0.5
	x := math.Exp(rng.NormFloat64()*sigma - sigma*sigma/2)
	return time.Duration(float64(mean) * x)
}
