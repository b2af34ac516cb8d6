// Package prooftest is the shared shape of `make proof` (issue 14, part 2):
// each proof is a Go test that runs a small, fast subset inside `make test`
// and the full sizes when SPPT_PROOF=1, and prints one line per figure:
//
//	proof: <area>: <what was tried> — <held> of <tried> held [figures]
//
// `make proof` runs the proofs verbosely and keeps those lines. A proof
// fails its test when anything did not hold; the line says so too.
package prooftest

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

// Full reports whether the full proof runs (SPPT_PROOF=1, `make proof`);
// otherwise the fast subset for `make test`.
func Full() bool { return os.Getenv("SPPT_PROOF") == "1" }

// Size is full under `make proof`, fast inside `make test`.
func Size[T any](fast, full T) T {
	if Full() {
		return full
	}
	return fast
}

var mu sync.Mutex

// Line prints one proof line: held of tried held, with the figures after.
// It fails t when held < tried, so a line that says it did not hold is
// never green.
func Line(t testing.TB, area, tried string, held, of int, figures ...string) {
	t.Helper()
	mark := "ok"
	if held < of {
		mark = "FAILED"
	}
	s := fmt.Sprintf("proof: %s: %s — %d of %d held", area, tried, held, of)
	if len(figures) > 0 {
		s += " (" + strings.Join(figures, ", ") + ")"
	}
	s += " " + mark
	mu.Lock()
	fmt.Println(s) // stdout, so `make proof` can grep it from go test -v
	mu.Unlock()
	if held < of {
		t.Errorf("%s", s)
	}
}

// Figure formats one named figure for Line.
func Figure(name string, v any) string { return fmt.Sprintf("%s=%v", name, v) }
