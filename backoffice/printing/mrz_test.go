package printing_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/printing"
	"github.com/sppt/sppt/internal/idn"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// An Indonesian full name goes whole into the primary identifier; names
// longer than the 39-character field are cut at its end (ICAO 9303 Part 3:
// an alphabetic character in the last position shows the cut).
func TestMRZIndonesianNames(t *testing.T) {
	for _, tc := range []struct{ name, line1 string }{
		{"Siti Zulaikha", "P<IDNSITI<ZULAIKHA"},
		{"Sukarno", "P<IDNSUKARNO"},
		{"Raden Ajeng Kartini-Djojoadhiningrat", "P<IDNRADEN<AJENG<KARTINI<DJOJOADHININGRAT"},
		{"Muhammad Rizky Pratama Adi Nugroho Saputra Wicaksono", "P<IDNMUHAMMAD<RIZKY<PRATAMA<ADI<NUGROHO<SAPU"},
		{"I Gusti Ngurah Made Agung Putra Dharmawangsa Jaya", "P<IDNI<GUSTI<NGURAH<MADE<AGUNG<PUTRA<DHARMAW"},
		{"Ni Luh Putu Ayu Kade Wirasanti Ayuningtyas", "P<IDNNI<LUH<PUTU<AYU<KADE<WIRASANTI<AYUNINGT"},
		{"Dr. H. Abdul Ra'uf, S.H.", "P<IDNDR<H<ABDUL<RAUF<SH"},
		{"Siti  Nurhaliza-", "P<IDNSITI<NURHALIZA"},
	} {
		l, err := printing.MRZ("A0000001", tc.name, "F", day("1990-10-20"), day("2036-03-02"))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want := tc.line1 + strings.Repeat("<", 44-len(tc.line1))
		if l[0] != want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, l[0], want)
		}
		checkLine2(t, l[1])
	}
}

func TestMRZLine2(t *testing.T) {
	l, err := printing.MRZ("A0000001", "Siti Zulaikha", "F", day("1990-10-20"), day("2036-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	// Worked by hand: A0000001< → 10·7 + 1·3 = 73 → 3; 901020 → 63+1+6 = 70 → 0;
	// 360302 → 21+18+21+2 = 62 → 2; no personal number: fillers and '<';
	// composite over A0000001<3 9010200 3603022<…< → 186 → 6.
	if want := "A0000001<3IDN9010200F3603022<<<<<<<<<<<<<<<6"; l[1] != want {
		t.Errorf("line 2\n got %s\nwant %s", l[1], want)
	}
	checkLine2(t, l[1])
}

func checkLine2(t *testing.T, two string) {
	t.Helper()
	if len(two) != 44 {
		t.Fatalf("line 2 %q", two)
	}
	for _, c := range []struct {
		data string
		at   int
	}{{two[0:9], 9}, {two[13:19], 19}, {two[21:27], 27}, {two[0:10] + two[13:20] + two[21:43], 43}} {
		if int(two[c.at]-'0') != idn.CheckDigit(c.data) {
			t.Fatalf("check digit at position %d of %q", c.at+1, two)
		}
	}
}

// Whatever the name, the lines are 44 characters of A–Z, 0–9 and '<' with
// valid check digits, or the name is refused (no Latin letter at all).
func FuzzMRZ(f *testing.F) {
	for _, s := range []string{"Siti Zulaikha", "Sukarno", "Ra'uf", "Ångström", "محمد", "", strings.Repeat("Ab ", 40)} {
		f.Add(s, "M")
	}
	f.Fuzz(func(t *testing.T, name, sex string) {
		l, err := printing.MRZ("A0000001", name, sex, day("1990-10-20"), day("2036-03-02"))
		if err != nil {
			return
		}
		for _, line := range l {
			if len(line) != 44 || strings.Trim(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<") != "" {
				t.Fatalf("bad line %q for %q", line, name)
			}
		}
		if strings.HasPrefix(l[0][5:], "<") {
			t.Fatalf("name field starts with a filler: %q", l[0])
		}
		checkLine2(t, l[1])
	})
}
