package main_test

import (
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
)

// `sppt blanks receive` records a batch, refuses overlapping or malformed
// ones whole, and `sppt blanks report` ends with the contract's line.
func TestBlanksCommands(t *testing.T) {
	t.Parallel()
	env := []string{"DATABASE_URL=" + apptest.DB(t), "SPPT_NOW=2026-03-02T08:00:00+07:00"}
	out, err := sppt(t, env, "blanks", "receive", "--office", "jks", "--type", "electronic_48", "--first", "B0000101", "--count", "50")
	if err != nil || out != "blanks received: office=JKS type=electronic_48 first=B0000101 last=B0000150 count=50 batch=1\n" {
		t.Fatalf("receive: %v\n%q", err, out)
	}
	if _, err := sppt(t, env, "blanks", "receive", "--office", "JKS", "--type", "ordinary_48", "--first", "A0000001", "--count", "20"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]string{
		{"--office", "JKS", "--type", "ordinary_48", "--first", "B0000150", "--count", "5"}, // B0000150 already received
		{"--office", "JKS", "--type", "paper_12", "--first", "C0000001", "--count", "5"},
		{"--office", "JKS", "--type", "ordinary_48", "--first", "C000001", "--count", "5"},
		{"--office", "JKS", "--type", "ordinary_48", "--first", "C0000001", "--count", "0"},
		{"--office", "QQQ", "--type", "ordinary_48", "--first", "C0000001", "--count", "5"},
	} {
		if out, err := sppt(t, env, append([]string{"blanks", "receive"}, bad...)...); err == nil || !strings.Contains(out, "nothing was recorded") {
			t.Errorf("receive %v: %v %s", bad, err, out)
		}
	}
	out, err = sppt(t, env, "blanks", "report", "--office", "JKS")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || lines[len(lines)-1] != "blanks: office=JKS received=70 in_stock=70 assigned=0 printed=0 spoiled=0 issued=0 returned=0 unaccounted=0" {
		t.Fatalf("report: %v\n%s", err, out)
	}
	if !strings.Contains(out, "type=electronic_48 received=50 in_stock=50 ") || !strings.Contains(out, "type=ordinary_24 received=0 ") {
		t.Fatalf("report by type: %s", out)
	}
	out, err = sppt(t, env, "blanks", "report", "--office", "DPS")
	if err != nil || !strings.HasSuffix(out, "blanks: office=DPS received=0 in_stock=0 assigned=0 printed=0 spoiled=0 issued=0 returned=0 unaccounted=0\n") {
		t.Fatalf("report of an office with none: %v %s", err, out)
	}
}
