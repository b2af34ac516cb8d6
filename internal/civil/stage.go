package civil

import "slices"

// Stage is where an application is in the pipeline (CONTRACT.md, Pipeline):
// `stage` in every application record and in the public status endpoint.
type Stage string

// The stages, in pipeline order, then the side exits.
const (
	StageQueued       Stage = "queued"
	StageDesk         Stage = "desk"
	StageBiometric    Stage = "biometric"
	StageAdjudication Stage = "adjudication"
	StageBilling      Stage = "billing" // approved, awaiting payment
	StagePrinting     Stage = "printing"
	StageValidation   Stage = "validation"
	StageReady        Stage = "ready" // ready for pickup
	StagePickedUp     Stage = "picked_up"
	StageOnHold       Stage = "on_hold" // a BAP is open
	StageRejected     Stage = "rejected"
	StageCancelled    Stage = "cancelled"
)

// Stages lists every stage.
var Stages = []Stage{StageQueued, StageDesk, StageBiometric, StageAdjudication, StageBilling, StagePrinting,
	StageValidation, StageReady, StagePickedUp, StageOnHold, StageRejected, StageCancelled}

// Valid reports whether s is one of Stages.
func (s Stage) Valid() bool { return slices.Contains(Stages, s) }

func (s Stage) String() string { return string(s) }
