package watchlist

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/sppt/sppt/backoffice/watchlist"
	"github.com/sppt/sppt/internal/idn"
)

// Words that recur in Indonesian names: common words make trigram search
// harder (long posting lists), as on a real list.
var commonWords = strings.Fields(`Siti Muhammad Ahmad Dewi Sri Agus Budi Putu Made Nyoman Ketut Wayan Nur Eko Dwi Tri
	Rina Andi Joko Bambang Hendra Yusuf Rizky Fitri Indah Wahyu Hidayat Santoso Susanto Setiawan Wijaya Kusuma Pratama
	Saputra Lestari Rahmawati Handayani Hasibuan Siregar Nasution Simanjuntak Harahap Lubis Wibowo Purnomo Suryadi
	Hartono Kurniawan Nugroho Yulianti Puspita Maharani Ayu Putri Ratna Sari Yanti Sutrisno Susilo Gunawan Permana
	Hakim Abdul Rahman Aziz Fauzi Ramadhan Syahputra Cahyono Utomo Haryanto Mulyadi Kartika Anggraini Novitasari
	Suharto Sukarno Yohanes Maria Fransiska Stefanus Margaretha Teuku Cut Daeng Andi Intan Bayu Galih Citra Kurnia`)

var chineseSurnames = strings.Fields("Lim Tan Oei Kwee Go Ong Liem Njoo Tjan The Lie Sie Kwik Gouw")

var (
	onsets = []string{"b", "c", "d", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "w", "y", "ny", "ng", "sy", "kh", ""}
	vowels = []string{"a", "a", "a", "i", "i", "u", "u", "e", "o"}
	codas  = []string{"", "", "", "", "n", "ng", "r", "s", "t", "h", "l", "m", "k"}
)

var authorities = []string{"KPK", "KEJAGUNG", "POLRI", "DJP", "BNN", "DITJENIM"}
var kinds = []string{watchlist.KindTravelBan, watchlist.KindTravelBan, watchlist.KindWanted, watchlist.KindEntryBan}

type gen struct{ r *rand.Rand }

func newGen(r *rand.Rand) *gen { return &gen{r} }

func (g *gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g *gen) syllableWord() string {
	var b strings.Builder
	for n := 2 + g.r.IntN(2); n > 0; n-- {
		b.WriteString(g.pick(onsets) + g.pick(vowels))
		if n == 1 || g.r.IntN(3) == 0 {
			b.WriteString(g.pick(codas))
		}
	}
	w := b.String()
	return strings.ToUpper(w[:1]) + w[1:]
}

func (g *gen) word() string {
	if g.r.IntN(100) < 45 {
		return g.pick(commonWords)
	}
	return g.syllableWord()
}

// name is one to three words, or a Hokkien surname with two short words.
func (g *gen) name() string {
	if g.r.IntN(100) < 6 {
		short := func() string { w := g.syllableWord(); return w[:min(len(w), 4)] }
		return g.pick(chineseSurnames) + " " + short() + " " + short()
	}
	n := 2
	switch p := g.r.IntN(100); {
	case p < 15:
		n = 1
	case p >= 65:
		n = 3
	}
	words := make([]string, n)
	for i := range words {
		words[i] = g.word()
	}
	return strings.Join(words, " ")
}

// birth is a date in the 80 years from 1940.
func (g *gen) birth() time.Time {
	return time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.r.IntN(80*365))
}

type sampled struct {
	id    int64
	name  string
	birth time.Time
}

// entrySource feeds COPY one generated entry at a time and keeps every
// every-th dated entry as a sample.
type entrySource struct {
	g      *gen
	i      int
	every  int
	row    []any
	seen   map[string]bool
	sample []sampled
}

func (s *entrySource) Next() bool {
	if s.i == entries {
		return false
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	g := s.g
	var nik any
	if g.r.IntN(100) < 30 {
		nik = fmt.Sprintf("%02d%014d", 31+s.i%6, s.i)
	}
	auth := g.pick(authorities)
	var name, key string
	var birth any
	for {
		name = g.name()
		key = idn.WatchlistKey(name)
		birth = nil
		b := g.birth()
		if g.r.IntN(100) >= 2 {
			birth = b
		}
		// The re-import key must be unique: NIK, else name key and birth date.
		id := fmt.Sprint(auth, "|", key, "|", birth)
		if nik != nil || !s.seen[id] {
			if nik == nil {
				s.seen[id] = true
			}
			break
		}
	}
	if b, ok := birth.(time.Time); ok && s.i%s.every == 0 && len(s.sample) < variants {
		s.sample = append(s.sample, sampled{0, name, b})
	}
	var to any
	if g.r.IntN(4) == 0 {
		to = time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.row = []any{nik, name, key, birth, g.pick(kinds), "bench", auth,
		time.Date(2020+g.r.IntN(6), 1, 1, 0, 0, 0, 0, time.UTC), to, at, at}
	s.i++
	return true
}

func (s *entrySource) Values() ([]any, error) { return s.row, nil }
func (s *entrySource) Err() error             { return nil }

type query struct {
	watchlist.Query
	want int64 // the entry the query was made from; 0 for a stray
}

var (
	oldSpelling = strings.NewReplacer("j", "dj", "y", "j", "c", "tj", "u", "oe", "kh", "ch")
	titlesFront = []string{"H.", "Hj.", "Drs.", "Ir.", "Dr.", "R."}
	titlesBack  = []string{", S.H.", ", S.E.", ", M.M.", ", S.Kom.", " S.Pd"}
)

// makeQueries turns each sample into a variant, a quarter each: old
// spelling, titles, word order (titles for a single name), one typo; adds
// strays (names made by another generator); and shuffles them together.
func makeQueries(sample []sampled) []query {
	r := rand.New(rand.NewPCG(7, 11))
	var qs []query
	for i, s := range sample {
		v := s.name
		words := strings.Fields(v)
		switch i % 4 {
		case 0:
			v = titleCase(oldSpelling.Replace(strings.ToLower(v)))
		case 2:
			if len(words) > 1 {
				words[0], words[len(words)-1] = words[len(words)-1], words[0]
				v = strings.Join(words, " ")
				break
			}
			fallthrough
		case 1:
			v = titlesFront[r.IntN(len(titlesFront))] + " " + v + titlesBack[r.IntN(len(titlesBack))]
		case 3:
			v = typo(r, v)
		}
		qs = append(qs, query{watchlist.Query{FullName: v, BirthDate: s.birth, On: checkDay}, s.id})
	}
	g := newGen(rand.New(rand.NewPCG(99, 1)))
	for range strays {
		qs = append(qs, query{watchlist.Query{FullName: g.name(), BirthDate: g.birth(), On: checkDay}, 0})
	}
	r.Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })
	return qs
}

// typo changes one letter inside the longest word: a vowel for another,
// or a doubled letter.
func typo(r *rand.Rand, name string) string {
	words := strings.Fields(name)
	w := 0
	for i := range words {
		if len(words[i]) > len(words[w]) {
			w = i
		}
	}
	b := []byte(words[w])
	if len(b) < 4 {
		return name + "h"
	}
	p := 1 + r.IntN(len(b)-2)
	if strings.IndexByte("aiueo", b[p]) >= 0 {
		b[p] = "aiueo"[(strings.IndexByte("aiueo", b[p])+1+r.IntN(4))%5]
	} else {
		b = append(b[:p+1], b[p:]...)
	}
	words[w] = string(b)
	return strings.Join(words, " ")
}

func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}
