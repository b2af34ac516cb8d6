// Command fuzzall runs every fuzz target of the module for a fixed time,
// one after another, and prints one proof line per target and a total
// (issue 14, part 2, item 4; `make proof`). A crash fails the run and
// names the input go test saved under the package's testdata/fuzz.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

type target struct{ pkg, name string }

func main() {
	fuzztime := flag.Duration("fuzztime", 20*time.Second, "how long each target is fuzzed")
	flag.Parse()
	targets, err := list()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fuzzall:", err)
		os.Exit(2)
	}
	var execs, crashed int
	for _, t := range targets {
		n, out, err := run(t, *fuzztime)
		execs += n
		held := 1
		if err != nil {
			held, crashed = 0, crashed+1
			fmt.Fprintf(os.Stderr, "%s\n", out)
		}
		fmt.Printf("proof: fuzz: %s %s for %s — %d of 1 held (execs=%d, crashes=%d) %s\n",
			t.pkg, t.name, *fuzztime, held, n, 1-held, mark(held == 1))
	}
	fmt.Printf("proof: fuzz: %d targets for %s each — %d of %d held (execs=%d, crashes=%d) %s\n",
		len(targets), *fuzztime, len(targets)-crashed, len(targets), execs, crashed, mark(crashed == 0))
	if crashed > 0 {
		os.Exit(1)
	}
}

func mark(ok bool) string {
	if ok {
		return "ok"
	}
	return "FAILED"
}

// list asks go test for the fuzz targets of every package.
func list() ([]target, error) {
	out, err := exec.Command("go", "test", "-list", "^Fuzz", "./...").Output()
	if err != nil {
		return nil, fmt.Errorf("go test -list: %w", err)
	}
	var names []string
	var ts []target
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 1 && strings.HasPrefix(f[0], "Fuzz"):
			names = append(names, f[0])
		case len(f) >= 2 && (f[0] == "ok" || f[0] == "?"):
			for _, n := range names {
				ts = append(ts, target{pkg: f[1], name: n})
			}
			names = nil
		}
	}
	if len(ts) == 0 {
		return nil, fmt.Errorf("no fuzz targets found")
	}
	return ts, nil
}

var execsLine = regexp.MustCompile(`execs: (\d+)`)

// run fuzzes one target; the executions are the last count go test printed.
func run(t target, d time.Duration) (int, string, error) {
	cmd := exec.Command("go", "test", "-run", "^$", "-fuzz", "^"+t.name+"$", "-fuzztime", d.String(), t.pkg)
	out, err := cmd.CombinedOutput()
	n := 0
	if m := execsLine.FindAllSubmatch(out, -1); len(m) > 0 {
		n, _ = strconv.Atoi(string(m[len(m)-1][1]))
	}
	return n, string(out), err
}
