package biometric

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/sealed"
	"github.com/sppt/sppt/internal/testdb"
)

// stageLog records what the stage machine was told (its real
// implementation is backoffice/application's, wired in cmd/sppt/app).
type stageLog struct {
	calls []Outcome
	fail  error
}

func (l *stageLog) CaptureDone(_ context.Context, _ pgx.Tx, no, _ string, o Outcome) error {
	if l.fail != nil {
		return l.fail
	}
	l.calls = append(l.calls, o)
	return nil
}

type fixture struct {
	pool   *pgxpool.Pool
	box    *sealed.Box
	abis   *Builtin
	stages *stageLog
	svc    *Captures
	clock  *clock.Fake
	rng    *rand.Rand
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	pool, _ := testdb.Pool(t, testdb.Seed{})
	office(t, pool)
	f := &fixture{pool: pool, box: sealed.Random(), stages: &stageLog{}, clock: clock.NewFake(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)),
		rng: rand.New(rand.NewPCG(7, 11))}
	f.abis = start(t, ctx, pool, f.box)
	f.svc = &Captures{Pool: pool, Box: f.box, Matcher: Matcher{ABIS: f.abis},
		Stages: f.stages, Clock: f.clock}
	return f
}

// app records an application in stage biometric through its owner.
func (f *fixture) app(t *testing.T, no, office, service, nik string) {
	t.Helper()
	n := application.New{No: no, Office: office, Service: service, NIK: nik, FullName: "Siti Aminah",
		BirthDate: time.Date(1990, 10, 20, 0, 0, 0, 0, time.UTC), Sex: "F"}
	err := pgx.BeginFunc(context.Background(), f.pool, func(tx pgx.Tx) error {
		_, err := application.Seed(context.Background(), tx, n, civil.StageBiometric, f.clock.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func jpegOf(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngOf(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// goodCapture has a portrait, ten fingers of quality 80 and a signature;
// the embedding is scaled by 12 as a raw face model's output is.
func goodCapture(t testing.TB, no string, face []float32) civil.Capture {
	c := civil.Capture{ApplicationNo: no, FaceImage: jpegOf(t, 300, 400), Signature: pngOf(t, 200, 60)}
	for _, x := range face {
		c.Embedding = append(c.Embedding, 12*x)
	}
	for n := 1; n <= 10; n++ {
		c.Fingers = append(c.Fingers, civil.Finger{Finger: n, Template: []byte(fmt.Sprintf("FMR-template-%02d", n)), Quality: 80})
	}
	return c
}

func (f *fixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestGoodCaptureIsStoredSealedAndEnrolled(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	nik := "3174016010900001"
	f.app(t, "JKS-20260302-A001", "JKS", "new", nik)
	face := unit(f.rng)
	in := goodCapture(t, "JKS-20260302-A001", face)
	res, err := f.svc.Capture(ctx, "JKS", "device:st-1", in)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Accepted || len(res.Retake) != 0 || res.CaptureID == "" {
		t.Fatalf("result %+v", res)
	}
	if len(f.stages.calls) != 1 || f.stages.calls[0].Result != OutcomeClean || f.stages.calls[0].CaptureID != res.CaptureID {
		t.Fatalf("stages told %+v", f.stages.calls)
	}
	// Enrolled under the NIK, normalised: the same face scores about 1.
	if _, score, err := f.svc.Matcher.Verify(ctx, nik, face); err != nil || score < 0.999 {
		t.Fatalf("verify after enrolment: %v %v", score, err)
	}
	var faceCol, fpCol, sigCol []byte
	var enrolled bool
	var outcome string
	if err := f.pool.QueryRow(ctx, `SELECT face_image, fingerprints, signature, enrolled, outcome FROM captures WHERE id = $1`, res.CaptureID).
		Scan(&faceCol, &fpCol, &sigCol, &enrolled, &outcome); err != nil {
		t.Fatal(err)
	}
	if !enrolled || outcome != "clean" {
		t.Fatalf("row enrolled=%v outcome=%s", enrolled, outcome)
	}
	if bytes.Contains(faceCol, in.FaceImage[:64]) || bytes.Contains(sigCol, in.Signature[:16]) ||
		bytes.Contains(fpCol, []byte("FMR-template")) || bytes.Contains(fpCol, []byte("Rk1SLXRlbXBsYXRl")) {
		t.Fatal("a biometric part is stored in clear")
	}
	// A copied ciphertext does not open as another part.
	if _, err := f.box.Open(faceCol, partAAD(res.CaptureID, "signature")); !errors.Is(err, sealed.ErrOpen) {
		t.Fatalf("face sealed opened as signature: %v", err)
	}
}

func TestPoorQualityIsRefusedWithWhatToRetake(t *testing.T) {
	f := newFixture(t)
	f.app(t, "JKS-20260302-A002", "JKS", "new", "3174016010900002")
	in := goodCapture(t, "JKS-20260302-A002", unit(f.rng))
	in.FaceImage = jpegOf(t, 120, 160) // too small a portrait
	in.Fingers[2].Quality = 25         // finger 3
	in.Fingers[6] = civil.Finger{Finger: 7, Missing: "bandaged"}
	in.Signature = pngOf(t, 40, 10)
	res, err := f.svc.Capture(context.Background(), "JKS", "device:st-1", in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Accepted || !slices.Equal(res.Retake, []string{"face", "finger_3", "signature"}) {
		t.Fatalf("result %+v", res)
	}
	if len(f.stages.calls) != 0 || f.abis.Len() != 0 {
		t.Fatal("a refused capture moved the stage or was enrolled")
	}
	if n := f.count(t, `SELECT count(*) FROM captures WHERE id = $1 AND NOT accepted AND face_image IS NULL AND signature IS NULL`, res.CaptureID); n != 1 {
		t.Fatal("a refused capture kept biometrics or was not recorded")
	}

	// Too few usable fingers: the whole set is retaken; amputated ones count.
	few := goodCapture(t, "JKS-20260302-A002", unit(f.rng))
	for i := 0; i < 7; i++ {
		few.Fingers[i] = civil.Finger{Finger: i + 1, Missing: "unreadable"}
	}
	if r := DefaultRules.Retake(few); !slices.Equal(r, []string{"fingerprints"}) {
		t.Fatalf("3 usable fingers: retake %v", r)
	}
	for i := 0; i < 7; i++ {
		few.Fingers[i].Missing = "amputated"
	}
	if r := DefaultRules.Retake(few); len(r) != 0 {
		t.Fatalf("amputee: retake %v", r)
	}
	// A near-zero embedding is no detected face.
	weak := goodCapture(t, "X", unit(f.rng))
	for i := range weak.Embedding {
		weak.Embedding[i] /= 1000
	}
	if r := DefaultRules.Retake(weak); !slices.Equal(r, []string{"face"}) {
		t.Fatalf("weak embedding: retake %v", r)
	}
}

// Seed case #2: the face of a second application under another NIK matches
// an enrolled identity; the stage machine is told "duplicate" with the
// candidate, and the face is not enrolled.
func TestFaceOfAnotherIdentityIsADuplicate(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	face := unit(f.rng)
	f.app(t, "JKS-20260302-A003", "JKS", "new", "3174016010900003")
	if _, err := f.svc.Capture(ctx, "JKS", "device:st-1", goodCapture(t, "JKS-20260302-A003", face)); err != nil {
		t.Fatal(err)
	}
	f.app(t, "JKS-20260302-A004", "JKS", "new", "3174016010900099")
	res, err := f.svc.Capture(ctx, "JKS", "device:st-1", goodCapture(t, "JKS-20260302-A004", sameFace(f.rng, face, 0.7)))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Accepted {
		t.Fatalf("%+v", res)
	}
	got := f.stages.calls[len(f.stages.calls)-1]
	if got.Result != OutcomeDuplicate || got.Candidate != "3174016010900003" || got.Score < 0.6 {
		t.Fatalf("stages told %+v", got)
	}
	if f.count(t, `SELECT count(*) FROM captures WHERE id = $1 AND outcome = 'duplicate' AND candidate = '3174016010900003' AND NOT enrolled`, res.CaptureID) != 1 {
		t.Fatal("the duplicate is not recorded on the capture row")
	}
	if _, err := f.abis.Verify(ctx, "3174016010900099", face); !errors.Is(err, ErrUnknownSubject) {
		t.Fatalf("the duplicate's face was enrolled: %v", err)
	}

	// The same NIK applying again (a renewal) is the same subject, not a duplicate;
	// a different face under that NIK is a mismatch.
	f.app(t, "JKS-20260302-B001", "JKS", "renewal", "3174016010900003")
	if _, err := f.svc.Capture(ctx, "JKS", "device:st-1", goodCapture(t, "JKS-20260302-B001", sameFace(f.rng, face, 0.7))); err != nil {
		t.Fatal(err)
	}
	if got := f.stages.calls[len(f.stages.calls)-1]; got.Result != OutcomeClean || got.Score < 0.6 {
		t.Fatalf("renewal by the same person: %+v", got)
	}
	f.app(t, "JKS-20260302-B002", "JKS", "renewal", "3174016010900003")
	if _, err := f.svc.Capture(ctx, "JKS", "device:st-1", goodCapture(t, "JKS-20260302-B002", unit(f.rng))); err != nil {
		t.Fatal(err)
	}
	if got := f.stages.calls[len(f.stages.calls)-1]; got.Result != OutcomeMismatch {
		t.Fatalf("renewal by another face: %+v", got)
	}
}

func TestOtherOfficeAndStageRefusal(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.app(t, "DPS-20260302-A001", "DPS", "new", "5171016010900001")
	in := goodCapture(t, "DPS-20260302-A001", unit(f.rng))
	if _, err := f.svc.Capture(ctx, "JKS", "device:st-1", in); !errors.Is(err, httpx.ErrNotFound) {
		t.Fatalf("another office's application: %v", err)
	}
	if _, err := f.svc.Capture(ctx, "JKS", "device:st-1", goodCapture(t, "JKS-NOSUCH-A001", unit(f.rng))); !errors.Is(err, httpx.ErrNotFound) {
		t.Fatalf("unknown application: %v", err)
	}
	// The stage machine refusing (e.g. not in stage biometric) stores nothing and enrols nothing.
	f.stages.fail = httpx.New(409, "invalid_transition")
	if _, err := f.svc.Capture(ctx, "DPS", "device:st-2", in); err != f.stages.fail {
		t.Fatalf("stage refusal: %v", err)
	}
	if f.count(t, `SELECT count(*) FROM captures`) != 0 || f.abis.Len() != 0 {
		t.Fatal("a capture the stage machine refused was kept")
	}
}

func TestVerificationAtPickup(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	face := unit(f.rng)
	f.app(t, "JKS-20260302-A005", "JKS", "new", "3174016010900005")
	if _, err := f.svc.Verify(ctx, "JKS", "device:st-1", "JKS-20260302-A005", face); err == nil {
		t.Fatal("verified before any enrolment")
	}
	if _, err := f.svc.Capture(ctx, "JKS", "device:st-1", goodCapture(t, "JKS-20260302-A005", face)); err != nil {
		t.Fatal(err)
	}
	if v, err := f.svc.Verify(ctx, "JKS", "device:st-1", "JKS-20260302-A005", sameFace(f.rng, face, 0.7)); err != nil || !v.Match || v.Score < 0.6 {
		t.Fatalf("same person: %+v %v", v, err)
	}
	if v, err := f.svc.Verify(ctx, "JKS", "device:st-1", "JKS-20260302-A005", unit(f.rng)); err != nil || v.Match || v.Score > 0.3 {
		t.Fatalf("another person: %+v %v", v, err)
	}
	if _, err := f.svc.Verify(ctx, "DPS", "device:st-9", "JKS-20260302-A005", face); !errors.Is(err, httpx.ErrNotFound) {
		t.Fatalf("another office: %v", err)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'capture.verify' AND subject = 'application:JKS-20260302-A005'`); n != 2 {
		t.Fatalf("%d verifications audited, want 2", n)
	}
}

func TestEveryReadIsAuditedAndPurgeDeletes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.app(t, "JKS-20260302-A006", "JKS", "new", "3174016010900006")
	in := goodCapture(t, "JKS-20260302-A006", unit(f.rng))
	res, err := f.svc.Capture(ctx, "JKS", "device:st-1", in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Images(ctx, "JKS", "officer:7", []string{"desk", "cashier"}, res.CaptureID); !errors.Is(err, httpx.ErrForbidden) {
		t.Fatalf("desk officer read images: %v", err)
	}
	if _, err := f.svc.Images(ctx, "DPS", "officer:8", []string{"adjudicator"}, res.CaptureID); !errors.Is(err, httpx.ErrNotFound) {
		t.Fatalf("another office read images: %v", err)
	}
	for _, roles := range [][]string{{"biometric"}, {"adjudicator"}, {"supervisor", "desk"}} {
		im, err := f.svc.Images(ctx, "JKS", "officer:9", roles, res.CaptureID)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(im.FaceJPEG, in.FaceImage) || !bytes.Equal(im.SignaturePNG, in.Signature) ||
			len(im.Fingers) != 10 || !bytes.Equal(im.Fingers[4].Template, in.Fingers[4].Template) {
			t.Fatal("opened images differ from the capture")
		}
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'capture.read' AND actor = 'officer:9' AND data LIKE '%' || $1 || '%'`, res.CaptureID); n != 3 {
		t.Fatalf("%d reads audited, want 3", n)
	}

	// Purge: nothing is old enough yet; 31 days on, the capture is gone.
	if n, err := f.svc.PurgeExpired(ctx); err != nil || n != 0 {
		t.Fatalf("early purge: %d %v", n, err)
	}
	f.clock.Advance(31 * 24 * time.Hour)
	if n, err := f.svc.PurgeExpired(ctx); err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	if f.count(t, `SELECT count(*) FROM captures`) != 0 || f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'capture.purge' AND office = 'JKS'`) != 1 {
		t.Fatal("purge left the capture or did not audit")
	}
	if _, err := f.svc.Images(ctx, "JKS", "officer:9", []string{"biometric"}, res.CaptureID); !errors.Is(err, httpx.ErrNotFound) {
		t.Fatalf("purged capture read: %v", err)
	}
}

// A duplicate captured at another instance right after the first capture
// is found: identification catches up with every committed enrolment first
// (B never polls here).
func TestDuplicateAcrossInstancesWithoutWaitingForThePoll(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := NewBuiltin(f.pool, f.box, clock.System{}, quiet)
	if err := b.Load(ctx); err != nil {
		t.Fatal(err)
	}
	onB := *f.svc
	onB.Matcher = Matcher{ABIS: b}
	face := unit(f.rng)
	f.app(t, "JKS-20260302-A010", "JKS", "new", "3174016010900010")
	f.app(t, "JKS-20260302-A011", "JKS", "new", "3174016010900011")
	if _, err := f.svc.Capture(ctx, "JKS", "device:st-1", goodCapture(t, "JKS-20260302-A010", face)); err != nil {
		t.Fatal(err)
	}
	if _, err := onB.Capture(ctx, "JKS", "device:st-2", goodCapture(t, "JKS-20260302-A011", sameFace(f.rng, face, 0.7))); err != nil {
		t.Fatal(err)
	}
	if got := f.stages.calls[len(f.stages.calls)-1]; got.Result != OutcomeDuplicate || got.Candidate != "3174016010900010" {
		t.Fatalf("B's outcome %+v", got)
	}
}
