package devices

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// Captures is what the biometric station's endpoints need of the pipeline
// (backoffice/biometric implements it). Devices only parse and authenticate;
// quality, identification and the stage change are decided there. Errors are
// *httpx.Error for the caller; an application of another office is 404.
type Captures interface {
	Capture(ctx context.Context, office, actor string, c civil.Capture) (civil.CaptureResult, error)
	Verify(ctx context.Context, office, actor, applicationNo string, embedding []float32) (civil.Verification, error)
}

// Size limits of a capture's parts, decoded. The whole request must also fit
// the server's body limit (1 MiB), which these leave room for.
const (
	MaxFaceImage = 512 << 10 // a 600x800 ICAO portrait at good JPEG quality is 100–300 KiB
	MaxTemplate  = 8 << 10   // ISO/IEC 19794-2 / ANSI 378 minutiae templates are under 2 KiB
	MaxSignature = 128 << 10
	EmbeddingDim = 512
)

var (
	jpegMagic       = []byte{0xFF, 0xD8, 0xFF}
	pngMagic        = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}
	applicationNoRe = regexp.MustCompile(`^[0-9A-Z-]{6,32}$`)
)

type captureRequest struct {
	ApplicationNo string               `json:"application_no"`
	Face          faceRequest          `json:"face"`
	Fingerprints  []fingerprintRequest `json:"fingerprints"`
	Signature     string               `json:"signature"`
}

type faceRequest struct {
	Image     string    `json:"image,omitempty"`
	Embedding []float64 `json:"embedding"`
}

type fingerprintRequest struct {
	Finger   int    `json:"finger"`
	Template string `json:"template,omitempty"`
	Quality  *int   `json:"quality,omitempty"`
	Missing  string `json:"missing,omitempty"`
}

type verificationRequest struct {
	ApplicationNo string      `json:"application_no"`
	Face          faceRequest `json:"face"`
}

func (s *Service) apiCapture(c fiber.Ctx) error {
	var req captureRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		return err
	}
	in, err := req.parse()
	if err != nil {
		return err
	}
	if s.Captures == nil {
		return httpx.New(fiber.StatusServiceUnavailable, "unavailable")
	}
	p := auth.Get(c)
	res, err := s.Captures.Capture(c.Context(), p.Office, DeviceActor(p), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(res)
}

func (s *Service) apiVerification(c fiber.Ctx) error {
	var req verificationRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		return err
	}
	v := httpx.Invalid()
	no := checkApplicationNo(v, req.ApplicationNo)
	emb := checkEmbedding(v, "face.embedding", req.Face.Embedding)
	if err := v.OrNil(); err != nil {
		return err
	}
	if s.Captures == nil {
		return httpx.New(fiber.StatusServiceUnavailable, "unavailable")
	}
	p := auth.Get(c)
	res, err := s.Captures.Verify(c.Context(), p.Office, DeviceActor(p), no, emb)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// parse checks every field's form and names each wrong one.
func (r captureRequest) parse() (civil.Capture, error) {
	v := httpx.Invalid()
	out := civil.Capture{ApplicationNo: checkApplicationNo(v, r.ApplicationNo)}
	out.FaceImage = checkBlob(v, "face.image", r.Face.Image, MaxFaceImage, jpegMagic, "devices.field.jpeg")
	out.Embedding = checkEmbedding(v, "face.embedding", r.Face.Embedding)
	out.Fingers = checkFingers(v, r.Fingerprints)
	out.Signature = checkBlob(v, "signature", r.Signature, MaxSignature, pngMagic, "devices.field.png")
	return out, v.OrNil()
}

func checkApplicationNo(v *httpx.Error, no string) string {
	no = strings.ToUpper(strings.TrimSpace(no))
	switch {
	case no == "":
		v.Field("application_no", "field.required")
	case !applicationNoRe.MatchString(no):
		v.Field("application_no", "devices.field.application_no")
	}
	return no
}

// checkBlob decodes standard base64 and checks size and, when magic is
// given, the file signature.
func checkBlob(v *httpx.Error, field, b64 string, max int, magic []byte, wrongType string) []byte {
	if b64 == "" {
		v.Field(field, "field.required")
		return nil
	}
	if base64.StdEncoding.DecodedLen(len(b64)) > max+3 {
		v.Field(field, "devices.field.too_large", "max_kib", max>>10)
		return nil
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	switch {
	case err != nil:
		v.Field(field, "devices.field.base64")
	case len(b) > max:
		v.Field(field, "devices.field.too_large", "max_kib", max>>10)
	case magic != nil && !bytes.HasPrefix(b, magic):
		v.Field(field, wrongType)
	default:
		return b
	}
	return nil
}

func checkEmbedding(v *httpx.Error, field string, e []float64) []float32 {
	if len(e) != EmbeddingDim {
		v.Field(field, "devices.field.embedding", "dim", EmbeddingDim, "got", len(e))
		return nil
	}
	out := make([]float32, len(e))
	zero := true
	for i, x := range e {
		if math.IsNaN(x) || math.Abs(x) > math.MaxFloat32 {
			v.Field(field, "devices.field.embedding", "dim", EmbeddingDim, "got", len(e))
			return nil
		}
		out[i], zero = float32(x), zero && x == 0
	}
	if zero {
		v.Field(field, "devices.field.embedding_zero")
		return nil
	}
	return out
}

// checkFingers wants each of the ten fingers exactly once: a template with
// its quality, or the reason it is missing.
func checkFingers(v *httpx.Error, fs []fingerprintRequest) []civil.Finger {
	if len(fs) == 0 {
		v.Field("fingerprints", "devices.field.fingers_all", "missing", "1–10")
		return nil
	}
	seen := map[int]bool{}
	var out []civil.Finger
	for i, f := range fs {
		at := fmt.Sprintf("fingerprints[%d]", i)
		switch {
		case f.Finger < 1 || f.Finger > 10:
			v.Field(at+".finger", "devices.field.finger")
			continue
		case seen[f.Finger]:
			v.Field(at+".finger", "devices.field.finger_twice", "finger", f.Finger)
			continue
		}
		seen[f.Finger] = true
		if f.Missing != "" {
			if f.Template != "" || f.Quality != nil {
				v.Field(at, "devices.field.template_or_missing")
			} else if !slices.Contains(civil.MissingReasons, f.Missing) {
				v.Field(at+".missing", "devices.field.missing")
			} else {
				out = append(out, civil.Finger{Finger: f.Finger, Missing: f.Missing})
			}
			continue
		}
		tpl := checkBlob(v, at+".template", f.Template, MaxTemplate, nil, "")
		switch {
		case f.Quality == nil:
			v.Field(at+".quality", "field.required")
		case *f.Quality < 0 || *f.Quality > 100:
			v.Field(at+".quality", "devices.field.quality")
		case tpl != nil:
			out = append(out, civil.Finger{Finger: f.Finger, Template: tpl, Quality: *f.Quality})
		}
	}
	var absent []string
	for n := 1; n <= 10; n++ {
		if !seen[n] {
			absent = append(absent, fmt.Sprint(n))
		}
	}
	if len(absent) > 0 {
		v.Field("fingerprints", "devices.field.fingers_all", "missing", strings.Join(absent, ", "))
	}
	return out
}
