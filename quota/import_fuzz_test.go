package quota

import (
	"errors"
	"strings"
	"testing"
)

// An admin's holiday file is accepted whole or refused with errors that
// name a line and a field; an accepted row is a real day of a known kind.
func FuzzReadHolidays(f *testing.F) {
	for _, s := range []string{"day,kind,name\n2026-01-01,national,Tahun Baru\n", "2026-03-20,collective_leave,Cuti bersama,JKS\n",
		"2026-02-30,national,x\n", "\ufeffday,kind,name\n", "a,\"b\n", ",,,,,\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, file string) {
		hs, lines, err := ReadHolidays(strings.NewReader(file))
		var se *SpecError
		if err != nil {
			if !errors.As(err, &se) || len(se.Errors) == 0 {
				t.Fatalf("ReadHolidays error %v is not a SpecError with fields", err)
			}
			for _, fe := range se.Errors {
				if fe.Field == "" || fe.Key == "" {
					t.Fatalf("field error %+v names no field", fe)
				}
			}
			return
		}
		if len(hs) != len(lines) {
			t.Fatalf("%d holidays, %d lines", len(hs), len(lines))
		}
		for _, h := range hs {
			if h.Day.IsZero() || h.Name == "" {
				t.Fatalf("accepted %+v", h)
			}
		}
	})
}

// An office file is accepted whole or refused with field errors; an
// accepted office has a code.
func FuzzReadOffices(f *testing.F) {
	f.Add("code,name\nJKS,Jakarta Selatan\n")
	f.Add("code\n\n")
	f.Add("\"")
	f.Fuzz(func(t *testing.T, file string) {
		specs, err := ReadOffices(strings.NewReader(file))
		if err != nil {
			var se *SpecError
			if errors.As(err, &se) && len(se.Errors) == 0 {
				t.Fatalf("a SpecError with no field errors: %v", err)
			}
			return
		}
		for _, s := range specs {
			if s.Code == "" {
				t.Fatalf("accepted an office with no code: %+v", s)
			}
		}
	})
}
