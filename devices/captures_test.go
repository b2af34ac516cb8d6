package devices_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v3"
	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/biometric"
	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/devices"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/sealed"
)

var _ devices.Captures = (*biometric.Captures)(nil)

type stages struct{ outcomes []string }

func (s *stages) CaptureDone(_ context.Context, _ pgx.Tx, _, _ string, o biometric.Outcome) error {
	s.outcomes = append(s.outcomes, o.Result)
	return nil
}

// station is the device API with the real biometric pipeline behind it, on
// an instance's database, registry and tokens.
type station struct {
	in     *apptest.Instance
	f      *fiber.App
	stages *stages
}

func newStation(t *testing.T) *station {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	box := sealed.Random()
	abis := biometric.NewBuiltin(in.Pool, box, in.App.Clock, quiet)
	if err := abis.Start(ctx); err != nil {
		t.Fatal(err)
	}
	st := &station{in: in, stages: &stages{}}
	svc := &devices.Service{Registry: in.App.Devices, Clock: in.App.Clock, Log: quiet,
		Captures: &biometric.Captures{Pool: in.Pool, Box: box, Matcher: biometric.Matcher{ABIS: abis}, Stages: st.stages, Clock: in.App.Clock}}
	st.f = fiber.New(fiber.Config{BodyLimit: app.BodyLimit, ErrorHandler: httpx.ErrorHandler(in.App.Catalog, quiet, in.App.Pages.ErrorPage)})
	svc.Routes(httpx.API{R: st.f.Group("/api/v1"), Prefix: "/api/v1", Doc: httpx.NewDoc("test")})
	return st
}

func (st *station) device(t *testing.T, office, kind, name string) string {
	t.Helper()
	_, tok, err := st.in.App.Devices.Add(context.Background(), office, kind, name, "test", st.in.App.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (st *station) application(t *testing.T, no, office, nik string) {
	t.Helper()
	st.in.AddApplicant(t, application.New{No: no, Office: office, Service: civil.ServiceNew, NIK: nik,
		FullName: "Siti Aminah", BirthDate: apptest.Day("1990-10-20"), Sex: "F"}, civil.StageBiometric, st.in.App.Clock.Now())
}

func (st *station) post(t *testing.T, path, token, lang string, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	resp, err := st.f.Test(req, fiber.TestConfig{Timeout: 0})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func randomFace(rng *rand.Rand) []float64 {
	v := make([]float64, 512)
	var s float64
	for i := range v {
		v[i] = rng.NormFloat64()
		s += v[i] * v[i]
	}
	for i := range v {
		v[i] /= math.Sqrt(s)
	}
	return v
}

func b64Image(t *testing.T, enc func(io.Writer, image.Image) error, w, h int) string {
	var b bytes.Buffer
	if err := enc(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

func captureBody(t *testing.T, no string, face []float64) map[string]any {
	fingers := []map[string]any{}
	for n := 1; n <= 10; n++ {
		fingers = append(fingers, map[string]any{"finger": n, "quality": 75,
			"template": base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("template-%d", n)))})
	}
	return map[string]any{"application_no": no,
		"face":         map[string]any{"image": b64Image(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }, 300, 400), "embedding": face},
		"fingerprints": fingers,
		"signature":    b64Image(t, png.Encode, 200, 60)}
}

func TestCaptureAndVerifyOverHTTP(t *testing.T) {
	st := newStation(t)
	rng := rand.New(rand.NewPCG(3, 4))
	tok := st.device(t, "JKS", "biometric", "Stasiun 1")
	st.application(t, "JKS-20260302-A001", "JKS", "3174016010900001")
	face := randomFace(rng)

	code, out := st.post(t, "/api/v1/devices/captures", tok, "", captureBody(t, "JKS-20260302-A001", face))
	if code != 201 || out["accepted"] != true || out["capture_id"] == "" || len(out["retake"].([]any)) != 0 {
		t.Fatalf("capture: %d %v", code, out)
	}
	// Poor quality: 201, not accepted, what to retake.
	st.application(t, "JKS-20260302-A002", "JKS", "3174016010900002")
	poor := captureBody(t, "JKS-20260302-A002", randomFace(rng))
	poor["fingerprints"].([]map[string]any)[7]["quality"] = 12
	code, out = st.post(t, "/api/v1/devices/captures", tok, "", poor)
	if code != 201 || out["accepted"] != false || fmt.Sprint(out["retake"]) != "[finger_8]" {
		t.Fatalf("poor capture: %d %v", code, out)
	}
	// Another identity's face: accepted, and the stage machine hears "duplicate".
	st.application(t, "JKS-20260302-A003", "JKS", "3174016010900003")
	code, _ = st.post(t, "/api/v1/devices/captures", tok, "", captureBody(t, "JKS-20260302-A003", face))
	if code != 201 || fmt.Sprint(st.stages.outcomes) != "[clean duplicate]" {
		t.Fatalf("duplicate: %d %v", code, st.stages.outcomes)
	}

	// Verification at pickup: the same face matches, another does not.
	code, out = st.post(t, "/api/v1/devices/verifications", tok, "", map[string]any{"application_no": "JKS-20260302-A001", "face": map[string]any{"embedding": face}})
	if code != 200 || out["match"] != true || out["score"].(float64) < 0.99 {
		t.Fatalf("verify same: %d %v", code, out)
	}
	code, out = st.post(t, "/api/v1/devices/verifications", tok, "", map[string]any{"application_no": "JKS-20260302-A001", "face": map[string]any{"embedding": randomFace(rng)}})
	if code != 200 || out["match"] != false {
		t.Fatalf("verify other: %d %v", code, out)
	}
	code, out = st.post(t, "/api/v1/devices/verifications", tok, "", map[string]any{"application_no": "JKS-20260302-A002", "face": map[string]any{"embedding": face}})
	if code != 409 || errCode(out) != "face_not_enrolled" {
		t.Fatalf("verify unenrolled: %d %v", code, out)
	}
}

func TestCaptureDeviceScope(t *testing.T) {
	st := newStation(t)
	rng := rand.New(rand.NewPCG(5, 6))
	st.application(t, "JKB-20260302-A001", "JKB", "3173016010900001")
	body := captureBody(t, "JKB-20260302-A001", randomFace(rng))
	ver := map[string]any{"application_no": "JKB-20260302-A001", "face": map[string]any{"embedding": randomFace(rng)}}

	other := st.device(t, "JKS", "biometric", "Stasiun JKS")
	for path, b := range map[string]any{"/api/v1/devices/captures": body, "/api/v1/devices/verifications": ver} {
		if code, out := st.post(t, path, other, "", b); code != 404 {
			t.Fatalf("%s by another office's station: %d %v", path, code, out)
		}
		if code, _ := st.post(t, path, st.device(t, "JKB", "kiosk", "Kios "+path), "", b); code != 403 {
			t.Fatalf("%s by a kiosk: %d", path, code)
		}
		if code, _ := st.post(t, path, "not-a-token", "", b); code != 401 {
			t.Fatalf("%s without a token: %d", path, code)
		}
	}
	if code, out := st.post(t, "/api/v1/devices/captures", st.device(t, "JKB", "biometric", "Stasiun JKB"), "", body); code != 201 {
		t.Fatalf("own office's station: %d %v", code, out)
	}
}

func errCode(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func errFields(out map[string]any) map[string]any {
	e, _ := out["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	return f
}

func TestCaptureValidationNamesFields(t *testing.T) {
	st := newStation(t)
	rng := rand.New(rand.NewPCG(8, 9))
	tok := st.device(t, "JKS", "biometric", "Stasiun 1")
	good := func() map[string]any { return captureBody(t, "JKS-20260302-A001", randomFace(rng)) }
	pngB64 := b64Image(t, png.Encode, 200, 60)
	big := base64.StdEncoding.EncodeToString(append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, devices.MaxFaceImage)...))

	cases := []struct {
		name  string
		edit  func(b map[string]any)
		field string
		en    string // a word the English message has
	}{
		{"no application", func(b map[string]any) { delete(b, "application_no") }, "application_no", "required"},
		{"bad application", func(b map[string]any) { b["application_no"] = "jks 1" }, "application_no", "application number"},
		{"png as face", func(b map[string]any) { b["face"].(map[string]any)["image"] = pngB64 }, "face.image", "JPEG"},
		{"not base64", func(b map[string]any) { b["face"].(map[string]any)["image"] = "%%%" }, "face.image", "base64"},
		{"face too large", func(b map[string]any) { b["face"].(map[string]any)["image"] = big }, "face.image", "512 KiB"},
		{"short embedding", func(b map[string]any) { b["face"].(map[string]any)["embedding"] = []float64{1, 2, 3} }, "face.embedding", "512"},
		{"zero embedding", func(b map[string]any) { b["face"].(map[string]any)["embedding"] = make([]float64, 512) }, "face.embedding", "zeros"},
		{"finger twice", func(b map[string]any) { b["fingerprints"].([]map[string]any)[1]["finger"] = 1 }, "fingerprints[1].finger", "more than once"},
		{"finger 11", func(b map[string]any) { b["fingerprints"].([]map[string]any)[9]["finger"] = 11 }, "fingerprints[9].finger", "1 to 10"},
		{"quality 101", func(b map[string]any) { b["fingerprints"].([]map[string]any)[0]["quality"] = 101 }, "fingerprints[0].quality", "0 to 100"},
		{"no quality", func(b map[string]any) { delete(b["fingerprints"].([]map[string]any)[0], "quality") }, "fingerprints[0].quality", "required"},
		{"bad reason", func(b map[string]any) {
			b["fingerprints"].([]map[string]any)[2] = map[string]any{"finger": 3, "missing": "lost"}
		}, "fingerprints[2].missing", "amputated"},
		{"both", func(b map[string]any) { b["fingerprints"].([]map[string]any)[2]["missing"] = "bandaged" }, "fingerprints[2]", "not both"},
		{"nine fingers", func(b map[string]any) { b["fingerprints"] = b["fingerprints"].([]map[string]any)[:9] }, "fingerprints", "finger 10"},
		{"jpeg signature", func(b map[string]any) { b["signature"] = b["face"].(map[string]any)["image"] }, "signature", "PNG"},
		{"template too large", func(b map[string]any) {
			b["fingerprints"].([]map[string]any)[4]["template"] = base64.StdEncoding.EncodeToString(make([]byte, devices.MaxTemplate+1))
		}, "fingerprints[4].template", "8 KiB"},
	}
	for _, tc := range cases {
		b := good()
		tc.edit(b)
		code, out := st.post(t, "/api/v1/devices/captures", tok, "en", b)
		msg, _ := errFields(out)[tc.field].(string)
		if code != 422 || errCode(out) != "validation_failed" || !strings.Contains(msg, tc.en) {
			t.Errorf("%s: %d, field %q says %q (%v)", tc.name, code, tc.field, msg, out)
		}
	}
	// Indonesian by default.
	b := good()
	b["signature"] = "iVBO"
	if code, out := st.post(t, "/api/v1/devices/captures", tok, "", b); code != 422 || !strings.Contains(fmt.Sprint(errFields(out)["signature"]), "Tanda tangan") {
		t.Fatalf("Indonesian: %d %v", code, out)
	}
	// Verification's fields too.
	code, out := st.post(t, "/api/v1/devices/verifications", tok, "en", map[string]any{"face": map[string]any{"embedding": []float64{1}}})
	if code != 422 || errFields(out)["application_no"] == nil || errFields(out)["face.embedding"] == nil {
		t.Fatalf("verification validation: %d %v", code, out)
	}
}

func TestCaptureRoutesInOpenAPI(t *testing.T) {
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	resp, err := http.Get(in.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/api/v1/devices/captures", "/api/v1/devices/verifications"} {
		if doc.Paths[p]["post"] == nil {
			t.Errorf("%s is not in the OpenAPI document", p)
		}
	}
}
