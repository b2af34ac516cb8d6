package biometric

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"image/png"
	"math"

	"github.com/sppt/sppt/internal/civil"
)

// Rules decide whether a capture is good enough to keep. A capture that is
// not gets the list of what to capture again; nothing of it is stored.
type Rules struct {
	// MinFingerQuality: a template scored below it (NFIQ-style 0–100) is
	// retaken. 40 is where vendors' matchers start to lose true matches.
	MinFingerQuality int
	// MinFingers: usable fingers plus amputated ones must reach it, or the
	// whole set is retaken (a bandaged finger heals; come back then).
	MinFingers int
	// Face: smallest portrait and embedding norm taken for a detected face.
	// A face model's raw embedding of a real face has a norm well above
	// MinEmbeddingNorm (normalised output is 1); a near-zero vector is a
	// failed detection.
	MinFaceWidth, MinFaceHeight int
	MinEmbeddingNorm            float64
	// Signature: smallest pad image.
	MinSignatureWidth, MinSignatureHeight int
}

// DefaultRules are the rules when none are configured.
var DefaultRules = Rules{MinFingerQuality: 40, MinFingers: 4, MinFaceWidth: 240, MinFaceHeight: 320,
	MinEmbeddingNorm: 0.1, MinSignatureWidth: 100, MinSignatureHeight: 30}

// Retake lists what to capture again, in the station's order: face,
// fingers, signature. Empty means the capture is good.
func (r Rules) Retake(c civil.Capture) []string {
	retake := []string{}
	if !r.faceOK(c) {
		retake = append(retake, "face")
	}
	usable := 0
	for _, f := range c.Fingers {
		switch {
		case f.Missing == "amputated":
			usable++
		case f.Missing != "":
		case f.Quality < r.MinFingerQuality:
			retake = append(retake, fmt.Sprintf("finger_%d", f.Finger))
		default:
			usable++
		}
	}
	if usable < r.MinFingers {
		retake = append(retake, "fingerprints")
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(c.Signature)); err != nil ||
		cfg.Width < r.MinSignatureWidth || cfg.Height < r.MinSignatureHeight {
		retake = append(retake, "signature")
	}
	return retake
}

func (r Rules) faceOK(c civil.Capture) bool {
	if norm(c.Embedding) < r.MinEmbeddingNorm {
		return false
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(c.FaceImage))
	return err == nil && cfg.Width >= r.MinFaceWidth && cfg.Height >= r.MinFaceHeight
}

func norm(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

// unitVector is v scaled to length 1: scores are then cosines whatever scale
// the station's model uses.
func unitVector(v []float32) []float32 {
	n := norm(v)
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(float64(x) / n)
	}
	return out
}
