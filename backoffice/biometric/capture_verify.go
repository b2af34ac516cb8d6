package biometric

import (
	"context"
	"errors"
	"net/http"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// Verify is the 1:1 check at pickup: is the person at the counter the
// applicant whose face was enrolled? Every check is audited.
func (s *Captures) Verify(ctx context.Context, office, actor, applicationNo string, embedding []float32) (civil.Verification, error) {
	app, err := s.application(ctx, office, applicationNo)
	if err != nil {
		return civil.Verification{}, err
	}
	match, score, err := s.Matcher.Verify(ctx, app.NIK, unitVector(embedding))
	switch {
	case errors.Is(err, ErrUnknownSubject):
		return civil.Verification{}, httpx.New(http.StatusConflict, "face_not_enrolled")
	case err != nil:
		return civil.Verification{}, errAbis
	}
	v := civil.Verification{Match: match, Score: score}
	return v, pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		return audit.Append(ctx, tx, audit.Entry{Office: app.Office, At: s.Clock.Now(), Actor: actor, Action: "capture.verify",
			Subject: "application:" + app.No, Data: map[string]any{"match": match, "score": score}})
	})
}
