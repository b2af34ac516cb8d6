package application

import (
	"slices"
	"testing"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
)

// The table is the machine: every stage reachable from queued, every
// non-final stage has a way out, no move listed twice, only known roles,
// kinds and guards, and nobody but payment passes billing → printing.
func TestMachineTable(t *testing.T) {
	seen := map[[2]civil.Stage]bool{}
	known := []string{GuardReason, GuardHold, GuardHoldRole, GuardClean}
	for _, tr := range Machine {
		k := [2]civil.Stage{tr.From, tr.To}
		if seen[k] || !tr.From.Valid() || !tr.To.Valid() {
			t.Errorf("bad or repeated move %v", k)
		}
		seen[k] = true
		for _, r := range tr.Roles {
			if !slices.Contains(auth.Roles, r) {
				t.Errorf("%v: unknown role %s", k, r)
			}
		}
		for _, g := range tr.Guards {
			if !slices.Contains(known, g) {
				t.Errorf("%v: unknown guard %s", k, g)
			}
		}
		if tr.To == civil.StageOnHold && !slices.Contains(tr.Guards, GuardHold) {
			t.Errorf("%v opens a hold without its case kind", k)
		}
	}
	reach := map[civil.Stage]bool{civil.StageQueued: true}
	for changed := true; changed; {
		changed = false
		for _, tr := range Machine {
			if reach[tr.From] && !reach[tr.To] {
				reach[tr.To], changed = true, true
			}
		}
	}
	for _, s := range civil.Stages {
		if !reach[s] {
			t.Errorf("%s unreachable", s)
		}
		final := s == civil.StagePickedUp || s == civil.StageRejected || s == civil.StageCancelled
		if final != (len(Next(s)) == 0) {
			t.Errorf("%s: final %v but moves %v", s, final, Next(s))
		}
	}
	pay, _ := Find(civil.StageBilling, civil.StagePrinting)
	for _, a := range []Actor{{Kind: KindOfficer, Roles: auth.Roles}, {Kind: KindSystem}, {Kind: KindDevice}} {
		if pay.Allows(a) {
			t.Errorf("%+v moves past payment", a)
		}
	}
	if !pay.Allows(Actor{Kind: KindPayment, ID: "bank"}) {
		t.Error("payment cannot move to printing")
	}
}

// A hold is decided by the role it recorded: a watchlist case by the
// regional head, not a supervisor.
func TestHoldRoleGuard(t *testing.T) {
	tr, _ := Find(civil.StageOnHold, civil.StageBilling)
	sup := Request{Reason: "cleared", Actor: Actor{Kind: KindOfficer, Roles: []string{"supervisor"}}}
	if err := checkGuards(tr, sup, HoldRole(HoldWatchlist)); err != ErrForbidden {
		t.Errorf("supervisor decided a watchlist hold: %v", err)
	}
	if err := checkGuards(tr, sup, HoldRole(HoldDuplicate)); err != nil {
		t.Errorf("supervisor refused on a duplicate hold: %v", err)
	}
	sup.Reason = ""
	if err := checkGuards(tr, sup, HoldRole(HoldDuplicate)); err == nil {
		t.Error("decision without a reason")
	}
	clean, _ := Find(civil.StageBiometric, civil.StageAdjudication)
	if err := checkGuards(clean, Request{Actor: Actor{Kind: KindDevice}}, ""); err == nil {
		t.Error("device moved on without clean checks")
	}
}
