package backoffice_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const module = "github.com/sppt/sppt/"

// shared are backoffice sub-packages every stage may import besides
// application: none yet (officer pages are guarded through a handler the
// backoffice passes in, so stages need not import officer).
var shared = map[string]bool{}

// A pipeline stage under backoffice/ imports backoffice/application and
// internal/, never another stage: a rule such as "printed only after
// payment" is a guard in the stage machine, not an import.
func TestStagesImportNoOtherStage(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps=false", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	seen := 0
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		sub := stage(p.ImportPath)
		if sub == "" || sub == "application" || shared[sub] {
			continue
		}
		seen++
		for _, imp := range p.Imports {
			if other := stage(imp); other != "" && other != sub && other != "application" && !shared[other] {
				t.Errorf("%s imports %s: a stage may import only backoffice/application and internal/", p.ImportPath, imp)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no stage package found under backoffice/")
	}
}

// stage is the backoffice sub-package an import path belongs to ("" when none).
func stage(path string) string {
	rest, ok := strings.CutPrefix(path, module+"backoffice/")
	if !ok {
		return ""
	}
	sub, _, _ := strings.Cut(rest, "/")
	return sub
}

// Each of these tables is written by one package only; the others use its methods.
var owners = []struct {
	pattern *regexp.Regexp
	owner   string // directory, relative to the module root
	// attacker writes the table as the database's superuser would, behind
	// the guard, to prove the owner finds it (issue 14's audit proof).
	attacker string
}{
	{regexp.MustCompile(`(?i)UPDATE\s+offices\b`), "quota", ""},
	{regexp.MustCompile(`(?i)INSERT\s+INTO\s+applications\b`), "backoffice/application", ""},
	{regexp.MustCompile(`\briver_job\b`), "", ""}, // River's own table: only River writes it
	{regexp.MustCompile(`(?i)(UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+sla_items\b`), "backoffice/sla", ""},
	{regexp.MustCompile(`(?i)(UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+audit_(checkpoints|checks)\b`), "internal/audit", "proof/audit"},
}

// A grep of the tree's Go code (tests included: no test writes another
// package's tables) finds these writes only in their owners.
func TestTablesHaveOneOwner(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "imports_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		dir := filepath.ToSlash(filepath.Dir(rel))
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			for _, o := range owners {
				if !o.pattern.MatchString(line) || dir == o.owner || dir == o.attacker {
					continue
				}
				if o.owner == "" && readOnly(line) {
					continue // reading River's table in a test to see what was enqueued
				}
				t.Errorf("%s:%d: %q outside its owner %q", rel, n, o.pattern, o.owner)
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

var writeSQL = regexp.MustCompile(`(?i)\b(UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+river_job\b`)

func readOnly(line string) bool { return !writeSQL.MatchString(line) }
