package biometric

import "context"

// DefaultThreshold is FACE_MATCH_THRESHOLD's default: the cosine at or above
// which two faces are taken for one person. README "Face identification" says
// how it was chosen; TestThresholdTradeoff measures it.
const DefaultThreshold = 0.40

// Matcher turns an ABIS's scores into decisions.
type Matcher struct {
	ABIS      ABIS
	Threshold float64 // DefaultThreshold when 0
}

func (m Matcher) threshold() float64 {
	if m.Threshold == 0 {
		return DefaultThreshold
	}
	return m.Threshold
}

// Match says whether a score is the same person.
func (m Matcher) Match(score float64) bool { return score >= m.threshold() }

// Duplicates is the 1:N check before enrolling subjectID: the other
// identities whose templates match the embedding, best first. Any is seed
// case #2 (on hold, BAP). The subject's own earlier template is not a
// duplicate.
func (m Matcher) Duplicates(ctx context.Context, subjectID string, embedding []float32) ([]Candidate, error) {
	cands, err := m.ABIS.Identify(ctx, embedding, DefaultLimit)
	if err != nil {
		return nil, err
	}
	var dups []Candidate
	for _, c := range cands {
		if c.SubjectID != subjectID && m.Match(c.Score) {
			dups = append(dups, c)
		}
	}
	return dups, nil
}

// Verify is the 1:1 decision: is this the subject enrolled?
func (m Matcher) Verify(ctx context.Context, subjectID string, embedding []float32) (match bool, score float64, err error) {
	score, err = m.ABIS.Verify(ctx, subjectID, embedding)
	if err != nil {
		return false, 0, err
	}
	return m.Match(score), score, nil
}
