package billing_test

import (
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/internal/httpx"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// prices2024 is the seed schedule as PricesOn reads it.
func prices2024() billing.Prices {
	p := billing.Prices{}
	for _, f := range billing.Fees2024 {
		p[f.Code] = billing.Fee{Description: f.Description, Amount: f.Amount}
	}
	return p
}

func TestCompute(t *testing.T) {
	t.Parallel()
	on := day("2026-03-02")
	adult, minor := day("1990-10-20"), day("2012-05-01")
	cases := []struct {
		name  string
		r     billing.Request
		codes []string
		total int64
	}{
		{"adult ordinary", billing.Request{Service: "new", BirthDate: adult}, []string{"ordinary_10y"}, 650_000},
		{"adult e-passport", billing.Request{Service: "new", BirthDate: adult, Electronic: true}, []string{"electronic_10y"}, 950_000},
		{"minor ordinary", billing.Request{Service: "new", BirthDate: minor}, []string{"ordinary_5y"}, 350_000},
		{"minor e-passport", billing.Request{Service: "renewal", BirthDate: minor, Electronic: true}, []string{"electronic_5y"}, 650_000},
		{"married minor gets 10 years", billing.Request{Service: "new", BirthDate: minor, Married: true, Electronic: true}, []string{"electronic_10y"}, 950_000},
		{"17 today", billing.Request{Service: "new", BirthDate: day("2009-03-02")}, []string{"ordinary_10y"}, 650_000},
		{"17 tomorrow", billing.Request{Service: "new", BirthDate: day("2009-03-03")}, []string{"ordinary_5y"}, 350_000},
		{"lost", billing.Request{Service: "replacement", BirthDate: adult, Electronic: true, Reason: "lost"}, []string{"electronic_10y", "lost"}, 1_950_000},
		{"damaged", billing.Request{Service: "replacement", BirthDate: adult, Reason: "damaged"}, []string{"ordinary_10y", "damaged"}, 1_150_000},
		{"force majeure", billing.Request{Service: "replacement", BirthDate: adult, Electronic: true, Reason: "force_majeure"}, []string{"electronic_10y", "force_majeure"}, 950_000},
		{"former SPLP holder", billing.Request{Service: "replacement", BirthDate: minor, Reason: "splp"}, []string{"ordinary_5y"}, 350_000},
		{"same day", billing.Request{Service: "priority", BirthDate: adult, Electronic: true, SameDay: true}, []string{"electronic_10y", "same_day"}, 1_950_000},
		{"data change", billing.Request{Service: "data_change", BirthDate: adult, Electronic: true}, []string{"electronic_10y"}, 950_000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.r.Date = on
			lines, total, err := billing.Compute(c.r, prices2024())
			if err != nil {
				t.Fatal(err)
			}
			var sum int64
			var codes []string
			for _, l := range lines {
				codes = append(codes, l.Code)
				sum += l.Amount
				if l.Description == "" {
					t.Errorf("line %s without description", l.Code)
				}
			}
			if total != c.total || sum != total || len(codes) != len(c.codes) {
				t.Fatalf("got %v total %d (lines sum %d), want %v %d", codes, total, sum, c.codes, c.total)
			}
			for i := range codes {
				if codes[i] != c.codes[i] {
					t.Fatalf("got %v, want %v", codes, c.codes)
				}
			}
		})
	}
}

func TestComputeRefuses(t *testing.T) {
	t.Parallel()
	on := day("2026-03-02")
	adult := day("1990-10-20")
	for name, c := range map[string]struct {
		r     billing.Request
		field string
	}{
		"pickup is not billed":          {billing.Request{Service: "pickup", BirthDate: adult}, "service"},
		"replacement needs a reason":    {billing.Request{Service: "replacement", BirthDate: adult}, "replacement_reason"},
		"unknown reason":                {billing.Request{Service: "replacement", BirthDate: adult, Reason: "stolen"}, "replacement_reason"},
		"reason only on replacement":    {billing.Request{Service: "new", BirthDate: adult, Reason: "lost"}, "replacement_reason"},
		"birth date missing":            {billing.Request{Service: "new"}, "birth_date"},
		"birth date after the bill day": {billing.Request{Service: "new", BirthDate: day("2026-03-03")}, "birth_date"},
	} {
		c.r.Date = on
		_, _, err := billing.Compute(c.r, prices2024())
		e, ok := httpx.As(err)
		if !ok || e.Status != 422 || e.Fields[c.field].Key == "" {
			t.Errorf("%s: got %v, want 422 naming %s", name, err, c.field)
		}
	}
	// A schedule without the fee (a day before any regulation) is an error, not a free passport.
	if _, _, err := billing.Compute(billing.Request{Service: "new", BirthDate: adult, Date: on}, billing.Prices{}); err == nil {
		t.Error("no error without a schedule")
	}
}

func TestValidityYears(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		birth, on string
		married   bool
		want      int
	}{
		{"1990-10-20", "2026-03-02", false, 10},
		{"1990-10-20", "2022-10-11", false, 5}, // before 10-year passports began
		{"1990-10-20", "2022-10-12", false, 10},
		{"2010-01-01", "2026-03-02", false, 5}, // 16 years old
		{"2010-01-01", "2026-03-02", true, 10}, // married at 16
		{"2000-02-29", "2017-03-01", false, 5}, // 17 but before October 2022
	} {
		if got := billing.ValidityYears(day(c.birth), day(c.on), c.married); got != c.want {
			t.Errorf("ValidityYears(%s, %s, married=%v) = %d, want %d", c.birth, c.on, c.married, got, c.want)
		}
	}
	if a := billing.Age(day("2000-02-29"), day("2017-02-28")); a != 16 {
		t.Errorf("Age of a leap-day birth the day before its 17th = %d", a)
	}
	if a := billing.Age(day("2000-02-29"), day("2017-03-01")); a != 17 {
		t.Errorf("Age of a leap-day birth on 1 March of its 17th year = %d", a)
	}
}

func TestBillingCode(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 2000 {
		c, err := billing.NewCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != billing.CodeLen || !billing.ValidCode(c) {
			t.Fatalf("NewCode() = %q, not a valid code", c)
		}
		if seen[c] {
			t.Fatalf("NewCode repeated %s", c)
		}
		seen[c] = true
	}
	c, _ := billing.NewCode()
	// Every single mistyped digit and every swap of two different neighbours is caught.
	for i := range len(c) {
		for d := byte('0'); d <= '9'; d++ {
			if d == c[i] {
				continue
			}
			typo := c[:i] + string(d) + c[i+1:]
			if billing.ValidCode(typo) {
				t.Errorf("typo %s of %s passes", typo, c)
			}
		}
		if i+1 < len(c) && c[i] != c[i+1] {
			swap := c[:i] + string(c[i+1]) + string(c[i]) + c[i+2:]
			if billing.ValidCode(swap) {
				t.Errorf("swap %s of %s passes", swap, c)
			}
		}
	}
	for _, bad := range []string{"", "12345678901234", "1234567890123456", "12345678901234a", "012345678901234"} {
		if billing.ValidCode(bad) {
			t.Errorf("ValidCode(%q) = true", bad)
		}
	}
}

func TestRupiah(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "Rp0", 500: "Rp500", 350_000: "Rp350.000", 1_950_000: "Rp1.950.000"} {
		if got := billing.Rupiah(n); got != want {
			t.Errorf("Rupiah(%d) = %q, want %q", n, got, want)
		}
	}
}
