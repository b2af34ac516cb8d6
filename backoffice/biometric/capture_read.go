package biometric

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// ReadRoles may see a capture's images: the station's officer, who checks
// the capture, and those who decide on a duplicate.
var ReadRoles = []string{"biometric", "adjudicator", "supervisor"}

// Images is an accepted capture opened.
type Images struct {
	CaptureID     string
	ApplicationNo string
	FaceJPEG      []byte
	Fingers       []civil.Finger
	SignaturePNG  []byte
	Outcome       string
	CreatedAt     time.Time
}

// Images opens a capture for an officer of its office holding one of
// ReadRoles; the read is audited in the same transaction, so no read goes
// unrecorded. Another office's capture is not found.
func (s *Captures) Images(ctx context.Context, office, actor string, roles []string, captureID string) (Images, error) {
	if !slices.ContainsFunc(roles, func(r string) bool { return slices.Contains(ReadRoles, r) }) {
		return Images{}, httpx.ErrForbidden
	}
	var im Images
	var face, fps, sig []byte
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT id::text, application_no, outcome, created_at, face_image, fingerprints, signature
			FROM captures WHERE id::text = $1 AND office = $2 AND accepted`, captureID, office).
			Scan(&im.CaptureID, &im.ApplicationNo, &im.Outcome, &im.CreatedAt, &face, &fps, &sig)
		if errors.Is(err, pgx.ErrNoRows) {
			return httpx.ErrNotFound
		}
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: office, At: s.Clock.Now(), Actor: actor, Action: "capture.read",
			Subject: "application:" + im.ApplicationNo, Data: map[string]any{"capture_id": im.CaptureID}})
	})
	if err != nil {
		return Images{}, err
	}
	if im.FaceJPEG, err = s.Box.Open(face, partAAD(im.CaptureID, "face_image")); err != nil {
		return Images{}, err
	}
	if im.SignaturePNG, err = s.Box.Open(sig, partAAD(im.CaptureID, "signature")); err != nil {
		return Images{}, err
	}
	plain, err := s.Box.Open(fps, partAAD(im.CaptureID, "fingerprints"))
	if err != nil {
		return Images{}, err
	}
	return im, json.Unmarshal(plain, &im.Fingers)
}
