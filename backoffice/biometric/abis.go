// Package biometric is face identification behind an ABIS interface: 1:N
// identification against every enrolled identity (early duplicate
// prevention, seed case #2) and 1:1 verification (renewals, pickup).
//
// Two drivers: Builtin (the default) keeps every template in PostgreSQL,
// sealed under DATA_KEY, and answers from an in-memory index in this process;
// HTTP speaks CONTRACT.md's ABIS contract to a national ABIS. Matcher applies
// FACE_MATCH_THRESHOLD to either's scores.
package biometric

import (
	"context"
	"errors"
	"fmt"

	"github.com/sppt/sppt/internal/faceindex"
)

// Dim is the length of a face embedding (CONTRACT.md: 512 numbers).
const Dim = faceindex.Dim

// MaxLimit caps how many candidates one identification returns.
const MaxLimit = 100

// DefaultLimit is used when a caller asks for no particular number.
const DefaultLimit = 10

// Candidate is one identity an identification found, best first.
type Candidate struct {
	SubjectID string  `json:"subject_id"`
	Score     float64 `json:"score"` // cosine similarity in [-1, 1]
}

// Enrolment is one face template to store. SubjectID is the identity key (a
// NIK or an application number); Office is where it was captured (retention
// follows the office's rule); the HTTP driver sends only the subject and the
// embedding.
type Enrolment struct {
	SubjectID string
	Office    string
	Embedding []float32
}

// ABIS is an automated biometric identification system. Scores are cosine
// similarities in [-1, 1]; deciding what is a match is Matcher's job.
type ABIS interface {
	// Enrol stores the subject's template, replacing an earlier one.
	Enrol(ctx context.Context, e Enrolment) error
	// Identify returns up to limit enrolled identities most similar to the
	// embedding, best first.
	Identify(ctx context.Context, embedding []float32, limit int) ([]Candidate, error)
	// Verify compares the embedding with the subject's template (1:1);
	// ErrUnknownSubject when the subject has none.
	Verify(ctx context.Context, subjectID string, embedding []float32) (float64, error)
}

var (
	ErrUnknownSubject = errors.New("biometric: no face template is enrolled for this subject")
	ErrEmbedding      = fmt.Errorf("biometric: a face embedding is %d finite numbers, not all zero", Dim)
	ErrSubject        = errors.New("biometric: a subject id is 1 to 64 letters, digits or hyphens")
	ErrNotReady       = errors.New("biometric: the face index is still loading")
)

// CheckEmbedding refuses what no driver can compare.
func CheckEmbedding(v []float32) error {
	if len(v) != Dim {
		return ErrEmbedding
	}
	zero := true
	for _, x := range v {
		if x != x || x > maxFinite || x < -maxFinite {
			return ErrEmbedding
		}
		zero = zero && x == 0
	}
	if zero {
		return ErrEmbedding
	}
	return nil
}

const maxFinite = 3.4e38

// CheckSubject refuses subject ids the face_templates table would.
func CheckSubject(id string) error {
	if len(id) == 0 || len(id) > 64 {
		return ErrSubject
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-') {
			return ErrSubject
		}
	}
	return nil
}

func clampLimit(limit int) int {
	if limit <= 0 {
		return DefaultLimit
	}
	return min(limit, MaxLimit)
}
