package apptest

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/printing"
	"github.com/sppt/sppt/internal/civil"
)

// Face is a random unit face embedding (512 numbers) drawn from seed.
func Face(seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
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

// CaptureBody is a biometric station's capture of face for application no:
// a blank portrait, ten good fingers and a signature.
func CaptureBody(t testing.TB, no string, face []float64) map[string]any {
	t.Helper()
	encode := func(isPNG bool, w, h int) string {
		var b bytes.Buffer
		m := image.NewGray(image.Rect(0, 0, w, h))
		var err error
		if isPNG {
			err = png.Encode(&b, m)
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
	return map[string]any{"application_no": no, "face": map[string]any{"image": encode(false, 300, 400), "embedding": face},
		"fingerprints": fingers, "signature": encode(true, 200, 60)}
}

// ToValidation takes applicant n from check-in to validation through the
// stage machine, as each step's officer or device would: desk, the
// biometric station's capture of face (which enrols it), adjudication,
// payment, and printing's passport passportNo (registered as printed and
// assigned to the application through their owners). station is a
// biometric device token of n's office.
func (in *Instance) ToValidation(t testing.TB, n application.New, station, passportNo string, face []float64) {
	t.Helper()
	ctx := context.Background()
	in.AddApplicant(t, n, civil.StageQueued, in.App.Clock.Now())
	officer := func(role string) application.Actor {
		return application.Actor{Kind: application.KindOfficer, ID: "test." + role, Office: n.Office, Roles: []string{role}}
	}
	move := func(to civil.Stage, who application.Actor) {
		t.Helper()
		if _, err := in.App.Backoffice.Stages.Move(ctx, application.Request{No: n.No, To: to, Actor: who}); err != nil {
			t.Fatalf("%s: move to %s: %v", n.No, to, err)
		}
	}
	move(civil.StageDesk, officer("desk"))
	move(civil.StageBiometric, officer("desk"))
	if r := in.Do(t, "POST", "/api/v1/devices/captures", station, CaptureBody(t, n.No, face)); r.Status != 201 ||
		!strings.Contains(string(r.Body), `"accepted":true`) {
		t.Fatalf("%s: capture: %d %s", n.No, r.Status, r.Body)
	}
	move(civil.StageBilling, officer("adjudicator"))
	move(civil.StagePrinting, application.Actor{Kind: application.KindPayment, ID: "bank"})
	in.Printed(t, n, passportNo)
	move(civil.StageValidation, officer("printer"))
}

// Printed records passport passportNo as printed for application n,
// through printing's register and the application's owner: what the
// printing step does when a data page comes off the printer.
func (in *Instance) Printed(t testing.TB, n application.New, passportNo string) {
	t.Helper()
	ctx, now := context.Background(), in.App.Clock.Now()
	reg := &printing.Register{Pool: in.Pool}
	p := printing.Passport{No: passportNo, NIK: n.NIK, Office: n.Office, BookType: "ordinary_48",
		IssuedOn: now, ExpiresOn: now.AddDate(10, 0, 0)}
	if err := reg.RegisterExisting(ctx, p, now); err != nil {
		t.Fatal(err)
	}
	err := pgx.BeginFunc(ctx, in.Pool, func(tx pgx.Tx) error {
		if err := printing.SetStatus(ctx, tx, passportNo, printing.StatusPrinted, "printed", now); err != nil {
			return err
		}
		return application.AssignPassport(ctx, tx, n.No, passportNo)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// OldPassport registers a passport nik held before SPPT (valid for two
// more years), as the old system's export would.
func (in *Instance) OldPassport(t testing.TB, office, nik, no string) {
	t.Helper()
	now := in.App.Clock.Now()
	p := printing.Passport{No: no, NIK: nik, Office: office, BookType: "ordinary_48",
		IssuedOn: now.AddDate(-3, 0, 0), ExpiresOn: now.AddDate(2, 0, 0)}
	if err := (&printing.Register{Pool: in.Pool}).RegisterExisting(context.Background(), p, now); err != nil {
		t.Fatal(err)
	}
}

// PassportStatus is the register's status of passport no.
func (in *Instance) PassportStatus(t testing.TB, no string) string {
	t.Helper()
	p, err := (&printing.Register{Pool: in.Pool}).Get(context.Background(), no)
	if err != nil {
		t.Fatalf("passport %s: %v", no, err)
	}
	return p.Status
}

// VerifyFace is the pickup counter camera's 1:1 check of face for no.
func (in *Instance) VerifyFace(t testing.TB, camera, no string, face []float64) Response {
	t.Helper()
	return in.Do(t, "POST", "/api/v1/devices/verifications", camera,
		map[string]any{"application_no": no, "face": map[string]any{"embedding": face}})
}

// SMSTo is every message the outbox holds for phone of kind, oldest first.
func (in *Instance) SMSTo(t testing.TB, phone, kind string) []string {
	t.Helper()
	rows, err := in.Pool.Query(context.Background(), `SELECT body FROM sms_messages WHERE to_phone = $1 AND kind = $2 ORDER BY id`,
		phone, kind)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}
