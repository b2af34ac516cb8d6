package app_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
)

// TestCaptureMovesTheApplication drives the biometric station's endpoint in
// the whole app: a clean capture moves its application to adjudication; a
// second applicant (another NIK) with the same face is held as a duplicate
// identity (seed case #2) before anyone pays.
func TestCaptureMovesTheApplication(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	for i, nik := range []string{"3174016010900001", "3174016010900002"} {
		in.AddApplicant(t, application.New{No: fmt.Sprintf("JKS-20260302-A00%d", i+1), Office: "JKS",
			Service: civil.ServiceNew, NIK: nik, FullName: "Siti Aminah", BirthDate: apptest.Day("1990-10-20"), Sex: "F"},
			civil.StageBiometric, apptest.Monday)
	}
	station := in.DeviceToken(t, "JKS", "biometric", "Stasiun 1")
	officer := in.OfficerToken(t, "JKS", "jks.sup", "supervisor")
	rng := rand.New(rand.NewPCG(7, 8))
	face := unitFace(rng, nil, 0)

	capture := func(no string, emb []float64) {
		t.Helper()
		r := in.Do(t, "POST", "/api/v1/devices/captures", station, captureRequest(t, no, emb))
		if r.Status != 201 || !strings.Contains(string(r.Body), `"accepted":true`) {
			t.Fatalf("capture %s: %d %s", no, r.Status, r.Body)
		}
	}
	stage := func(no string) string {
		t.Helper()
		var a struct {
			Stage   string
			History []struct{ Stage, Actor, Reason string }
		}
		in.Do(t, "GET", "/api/v1/backoffice/applications/"+no, officer, nil).JSON(t, &a)
		return a.Stage
	}
	capture("JKS-20260302-A001", face)
	if s := stage("JKS-20260302-A001"); s != "adjudication" {
		t.Fatalf("clean capture left the application in %q, want adjudication", s)
	}
	capture("JKS-20260302-A002", unitFace(rng, face, 0.8))
	if s := stage("JKS-20260302-A002"); s != "on_hold" {
		t.Fatalf("a face of another identity left the application in %q, want on_hold", s)
	}
}

// unitFace is a random unit vector, or near (cosine about 1-noise²/2) when given.
func unitFace(rng *rand.Rand, near []float64, noise float64) []float64 {
	v := make([]float64, 512)
	var s float64
	for i := range v {
		v[i] = rng.NormFloat64()
		if near != nil {
			v[i] = near[i] + noise*v[i]/math.Sqrt(512)
		}
		s += v[i] * v[i]
	}
	for i := range v {
		v[i] /= math.Sqrt(s)
	}
	return v
}

func captureRequest(t *testing.T, no string, face []float64) map[string]any {
	img := func(png bool, w, h int) string {
		var b bytes.Buffer
		var err error
		if m := image.NewGray(image.Rect(0, 0, w, h)); png {
			err = pngEncode(&b, m)
		} else {
			err = jpeg.Encode(&b, m, nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		return base64.StdEncoding.EncodeToString(b.Bytes())
	}
	fingers := []map[string]any{}
	for n := 1; n <= 10; n++ {
		fingers = append(fingers, map[string]any{"finger": n, "quality": 80,
			"template": base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("template-%d", n)))})
	}
	return map[string]any{"application_no": no, "face": map[string]any{"image": img(false, 300, 400), "embedding": face},
		"fingerprints": fingers, "signature": img(true, 200, 60)}
}

var pngEncode = png.Encode
