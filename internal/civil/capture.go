package civil

// Capture is what a biometric station sends for one application, already
// checked in form by the device API (sizes, magic bytes, ten fingers once
// each). Whether it is good enough, and what follows, is the pipeline's call.
type Capture struct {
	ApplicationNo string
	FaceImage     []byte    // JPEG
	Embedding     []float32 // as the station's face model gave it; the pipeline normalises
	Fingers       []Finger  // fingers 1–10, each once
	Signature     []byte    // PNG
}

// Finger is one finger of a capture: a template with its quality, or the
// reason it is missing.
type Finger struct {
	Finger   int    `json:"finger"` // 1–10 (ISO/IEC 19794 finger positions: right thumb 1 … left little 10)
	Template []byte `json:"template,omitempty"`
	Quality  int    `json:"quality"`           // 0–100
	Missing  string `json:"missing,omitempty"` // MissingReasons
}

// MissingReasons a finger may be absent for.
var MissingReasons = []string{"amputated", "bandaged", "unreadable"}

// CaptureResult is the answer to a station (CONTRACT.md's Pipeline).
type CaptureResult struct {
	CaptureID string   `json:"capture_id"`
	Accepted  bool     `json:"accepted"`
	Retake    []string `json:"retake"` // "face", "finger_3", "fingerprints", "signature"
}

// Verification is a 1:1 face check's answer (pickup).
type Verification struct {
	Match bool    `json:"match"`
	Score float64 `json:"score"`
}
