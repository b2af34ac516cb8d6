package application

import (
	"slices"

	"github.com/sppt/sppt/internal/civil"
)

// Actor kinds other than officers: who may make a move without an officer's
// role. A device acts for its office; payment is billing confirming a bill
// (the bank's callback or the cashier's receipt), never a bare request.
const (
	KindOfficer = "officer"
	KindDevice  = "device"
	KindPayment = "payment"
	KindSystem  = "system"
	KindCitizen = "citizen"
)

// Guards: the named conditions a transition adds to the role check.
const (
	// GuardReason: the move needs a reason, which the history keeps and, for
	// a rejection, the applicant is told.
	GuardReason = "reason"
	// GuardHold: entering on_hold needs the case kind (Request.Hold), which
	// sets the role whose decision ends the hold.
	GuardHold = "hold_opened"
	// GuardHoldRole: leaving on_hold needs the role the hold recorded
	// (regional_head for a watchlist case, else supervisor).
	GuardHoldRole = "hold_role"
	// GuardClean: a device or the system moves on only when it asserts the
	// checks came back clean (Request.Clean); an officer decides on their own
	// judgement.
	GuardClean = "checks_clean"
)

// Transition is one legal move: who may make it and the guards it needs.
type Transition struct {
	From, To civil.Stage
	Roles    []string // officer roles
	Kinds    []string // other actor kinds (device, payment, system, citizen)
	Guards   []string
}

var (
	desk       = []string{"desk"}
	deskOrSup  = []string{"desk", "supervisor"}
	deciders   = []string{"supervisor", "regional_head"}
	sysOnly    = []string{KindSystem}
	citizenSys = []string{KindCitizen, KindSystem}
	reason     = []string{GuardReason}
	hold       = []string{GuardReason, GuardHold}
	decision   = []string{GuardReason, GuardHoldRole}
)

// Machine is the stage machine, the one table: README's "Stage machine"
// diagram says it in words. Anything not here is 409 invalid_transition.
var Machine = []Transition{
	{civil.StageQueued, civil.StageDesk, desk, nil, nil},
	{civil.StageQueued, civil.StageCancelled, deskOrSup, citizenSys, reason},
	{civil.StageDesk, civil.StageBiometric, desk, nil, nil},
	{civil.StageDesk, civil.StageOnHold, desk, sysOnly, hold},
	{civil.StageDesk, civil.StageCancelled, deskOrSup, []string{KindCitizen}, reason},
	{civil.StageBiometric, civil.StageAdjudication, []string{"biometric"}, []string{KindDevice, KindSystem}, []string{GuardClean}},
	{civil.StageBiometric, civil.StageOnHold, []string{"biometric"}, sysOnly, hold},
	{civil.StageBiometric, civil.StageCancelled, deskOrSup, []string{KindCitizen}, reason},
	{civil.StageAdjudication, civil.StageBilling, []string{"adjudicator"}, sysOnly, []string{GuardClean}},
	{civil.StageAdjudication, civil.StageRejected, []string{"adjudicator"}, nil, reason},
	{civil.StageAdjudication, civil.StageOnHold, []string{"adjudicator"}, nil, hold},
	{civil.StageAdjudication, civil.StageCancelled, []string{"supervisor"}, []string{KindCitizen}, reason},
	{civil.StageOnHold, civil.StageAdjudication, deciders, nil, decision},
	{civil.StageOnHold, civil.StageBilling, deciders, nil, decision},
	{civil.StageOnHold, civil.StageRejected, deciders, nil, decision},
	{civil.StageOnHold, civil.StageCancelled, []string{"supervisor"}, []string{KindCitizen}, reason},
	{civil.StageBilling, civil.StagePrinting, nil, []string{KindPayment}, nil},
	{civil.StageBilling, civil.StageCancelled, []string{"supervisor"}, citizenSys, reason},
	{civil.StagePrinting, civil.StageValidation, []string{"printer"}, []string{KindDevice}, nil},
	{civil.StageValidation, civil.StageReady, []string{"validator"}, nil, nil},
	// The office head sends a data page with a fault back to print again;
	// the reason (what is wrong) stays in the history for the printer.
	{civil.StageValidation, civil.StagePrinting, []string{"validator"}, nil, reason},
	{civil.StageReady, civil.StagePickedUp, []string{"pickup"}, nil, nil},
}

// Find is the transition from → to, false when the machine has none.
func Find(from, to civil.Stage) (Transition, bool) {
	i := slices.IndexFunc(Machine, func(t Transition) bool { return t.From == from && t.To == to })
	if i < 0 {
		return Transition{}, false
	}
	return Machine[i], true
}

// Next lists the stages reachable from s, in table order.
func Next(s civil.Stage) []civil.Stage {
	var out []civil.Stage
	for _, t := range Machine {
		if t.From == s {
			out = append(out, t.To)
		}
	}
	return out
}

// Allows reports whether a may make t, before guards.
func (t Transition) Allows(a Actor) bool {
	if a.Kind == KindOfficer {
		return slices.ContainsFunc(a.Roles, func(r string) bool { return slices.Contains(t.Roles, r) })
	}
	return slices.Contains(t.Kinds, a.Kind)
}

// Hold case kinds and the role that decides each (seed case #1: a watchlist
// hit is decided by the regional head).
const (
	HoldExistingPassport = "existing_passport"
	HoldLostPassport     = "lost_passport"
	HoldDuplicate        = "duplicate"
	// HoldVerificationFailed is seed case #2's other face: the live face does
	// not match the one enrolled for this identity.
	HoldVerificationFailed = "verification_failed"
	HoldWatchlist          = "watchlist"
	HoldEscalated          = "escalated"
)

// HoldKinds are the case kinds a hold may be opened for.
var HoldKinds = []string{HoldExistingPassport, HoldLostPassport, HoldDuplicate, HoldVerificationFailed, HoldWatchlist, HoldEscalated}

// HoldRole is the role whose decision ends a hold of kind k.
func HoldRole(k string) string {
	if k == HoldWatchlist {
		return "regional_head"
	}
	return "supervisor"
}
