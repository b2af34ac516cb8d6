package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/pickup"
	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

const phone = "+6281234567890"

func applicant(no, service string, seq int) application.New {
	return application.New{No: no, Office: no[:3], Service: service, NIK: apptest.NIK("1990-10-20", true, seq),
		FullName: "Siti Aminah", BirthDate: apptest.Day("1990-10-20"), Sex: "F", Phone: phone}
}

// The office head validates a printed passport: the application is ready
// and exactly one "ready for pickup" SMS names the application and the
// office, however often the approval is retried or the notice replayed.
// A fault sends the data page back to print with its reason; nothing
// printed is nothing to validate; another office's application is 404 and
// another role 403.
func TestValidationSendsReadyOnce(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	station := in.DeviceToken(t, "JKS", "biometric", "Stasiun 1")
	head := in.OfficerToken(t, "JKS", "jks.head", "validator")
	a := applicant("JKS-20260302-A001", civil.ServiceNew, 1)
	in.ToValidation(t, a, station, "X1000001", apptest.Face(1))

	var inbox struct {
		Applications []struct {
			ApplicationNo string `json:"application_no"`
			DataPage      *struct {
				PassportNo string `json:"passport_no"`
			} `json:"data_page"`
		}
	}
	in.Do(t, "GET", "/api/v1/backoffice/validations", head, nil).JSON(t, &inbox)
	if len(inbox.Applications) != 1 || inbox.Applications[0].DataPage == nil || inbox.Applications[0].DataPage.PassportNo != "X1000001" {
		t.Fatalf("inbox: %+v", inbox)
	}
	if r := in.Do(t, "POST", "/api/v1/backoffice/validations/"+a.No+"/approve", head, nil); r.Status != 200 ||
		!strings.Contains(string(r.Body), `"stage":"ready"`) {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/backoffice/validations/"+a.No+"/approve", head, nil); r.Status != 409 {
		t.Fatalf("approve again: %d %s, want 409", r.Status, r.Body)
	}
	// A replay of the notice (a retried job, a hook run twice) adds nothing.
	err := pgx.BeginFunc(context.Background(), in.Pool, func(tx pgx.Tx) error {
		return in.App.SMS.ReadyForPickup(context.Background(), tx, a.No, phone, "JKS")
	})
	if err != nil {
		t.Fatal(err)
	}
	sent := in.SMSTo(t, phone, "ready_for_pickup")
	if len(sent) != 1 || !strings.Contains(sent[0], a.No) || !strings.Contains(sent[0], "Jakarta Selatan") {
		t.Fatalf("ready SMS: %q, want one naming %s and the office", sent, a.No)
	}

	b := applicant("JKS-20260302-A002", civil.ServiceNew, 2)
	in.ToValidation(t, b, station, "X1000002", apptest.Face(2))
	if r := in.Do(t, "POST", "/api/v1/backoffice/validations/"+b.No+"/reprint", head, map[string]string{}); r.Status != 422 ||
		!strings.Contains(string(r.Body), `"reason"`) {
		t.Fatalf("reprint without reason: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/backoffice/validations/"+b.No+"/reprint", head,
		map[string]string{"reason": "nama terpotong"}); r.Status != 200 || !strings.Contains(string(r.Body), `"stage":"printing"`) {
		t.Fatalf("reprint: %d %s", r.Status, r.Body)
	}

	in.AddApplication(t, "JKS-20260302-A003", "", civil.StageValidation, apptest.Monday)
	if r := in.Do(t, "POST", "/api/v1/backoffice/validations/JKS-20260302-A003/approve", head, nil); r.Status != 409 ||
		r.ErrorCode() != "no_data_page" {
		t.Fatalf("approve with nothing printed: %d %s", r.Status, r.Body)
	}

	c := applicant("JKS-20260302-A004", civil.ServiceNew, 4)
	in.ToValidation(t, c, station, "X1000004", apptest.Face(4))
	other := in.OfficerToken(t, "BDG", "bdg.head", "validator")
	if r := in.Do(t, "POST", "/api/v1/backoffice/validations/"+c.No+"/approve", other, nil); r.Status != 404 {
		t.Fatalf("another office's validator: %d %s, want 404", r.Status, r.Body)
	}
	desk := in.OfficerToken(t, "JKS", "jks.desk", "desk")
	for _, p := range []string{"/api/v1/backoffice/validations", "/api/v1/backoffice/validations/" + c.No + "/approve"} {
		method := map[bool]string{true: "POST", false: "GET"}[strings.HasSuffix(p, "approve")]
		if r := in.Do(t, method, p, desk, nil); r.Status != 403 {
			t.Fatalf("desk %s %s: %d, want 403", method, p, r.Status)
		}
	}
	if n := len(in.SMSTo(t, phone, "ready_for_pickup")); n != 1 {
		t.Fatalf("%d ready SMS after the refusals, want 1", n)
	}
}

// lostRecord stands in for intake's record of seed case #3 (intake is
// built on its own branch): a replacement's passport was reported lost;
// anything else is the wiring's own answer.
type lostRecord struct {
	no       string
	fallback pickup.Priors
}

func (l lostRecord) Prior(ctx context.Context, a application.Application) (pickup.Prior, error) {
	if a.Service != civil.ServiceReplacement {
		return l.fallback.Prior(ctx, a)
	}
	return pickup.Prior{PassportNo: l.no, Lost: true}, nil
}

// At the pickup counter the collector's face decides: no check yet or a
// face that does not match refuses the handover and changes nothing; a
// matching face hands the passport over (picked_up, the new passport
// valid, the renewal's previous one cancelled). A lost passport replaced
// is marked lost. Another office is 404, another role 403.
func TestPickupHandsOverOnMatchingFace(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday),
		Wire: func(a *app.App) { a.PriorPassports = lostRecord{no: "A7000002", fallback: a.PriorPassports} }})
	station := in.DeviceToken(t, "JKS", "biometric", "Stasiun 1")
	camera := in.DeviceToken(t, "JKS", "biometric", "Kamera loket E1")
	head := in.OfficerToken(t, "JKS", "jks.head", "validator")
	clerk := in.OfficerToken(t, "JKS", "jks.pickup", "pickup")
	a := applicant("JKS-20260302-B001", civil.ServiceRenewal, 1)
	in.OldPassport(t, "JKS", a.NIK, "A7000001")
	in.ToValidation(t, a, station, "X2000001", apptest.Face(1))
	in.Do(t, "POST", "/api/v1/backoffice/validations/"+a.No+"/approve", head, nil)
	handover := func(tok, no string) apptest.Response {
		return in.Do(t, "POST", "/api/v1/backoffice/pickups/"+no+"/handover", tok, nil)
	}

	if r := handover(clerk, a.No); r.Status != 409 || r.ErrorCode() != "face_check_required" {
		t.Fatalf("handover without a face check: %d %s", r.Status, r.Body)
	}
	if r := in.VerifyFace(t, camera, a.No, apptest.Face(99)); r.Status != 200 || !strings.Contains(string(r.Body), `"match":false`) {
		t.Fatalf("other face: %d %s", r.Status, r.Body)
	}
	r := handover(clerk, a.No)
	if r.Status != 409 || r.ErrorCode() != "face_mismatch" || !strings.Contains(string(r.Body), "BAP") {
		t.Fatalf("handover to another face: %d %s", r.Status, r.Body)
	}
	if got := in.PassportStatus(t, "X2000001"); got != "printed" {
		t.Fatalf("refused handover left the passport %s", got)
	}

	if r := in.VerifyFace(t, camera, a.No, apptest.Face(1)); !strings.Contains(string(r.Body), `"match":true`) {
		t.Fatalf("same face: %d %s", r.Status, r.Body)
	}
	other := in.OfficerToken(t, "BDG", "bdg.pickup", "pickup")
	if r := handover(other, a.No); r.Status != 404 {
		t.Fatalf("another office's pickup officer: %d %s, want 404", r.Status, r.Body)
	}
	if r := handover(head, a.No); r.Status != 403 {
		t.Fatalf("validator hands over: %d %s, want 403", r.Status, r.Body)
	}
	var h pickup.Handover
	r = handover(clerk, a.No)
	r.JSON(t, &h)
	if r.Status != 200 || h.Stage != "picked_up" || h.PassportNo != "X2000001" || h.PreviousNo != "A7000001" ||
		h.PreviousStatus != "cancelled" || h.Score < 0.9 {
		t.Fatalf("handover: %d %s", r.Status, r.Body)
	}
	if n, o := in.PassportStatus(t, "X2000001"), in.PassportStatus(t, "A7000001"); n != "valid" || o != "cancelled" {
		t.Fatalf("after handover: new %s, previous %s; want valid, cancelled", n, o)
	}
	if r := handover(clerk, a.No); r.Status != 409 {
		t.Fatalf("second handover: %d %s, want 409", r.Status, r.Body)
	}

	// Seed case #3: a lost passport's replacement. The replacement is
	// billed by the reason intake records, so this applicant starts at
	// printing; the face is enrolled by an earlier application of the NIK.
	enrol := applicant("JKS-20260302-C001", civil.ServiceNew, 2)
	in.AddApplicant(t, enrol, civil.StageBiometric, apptest.Monday)
	if r := in.Do(t, "POST", "/api/v1/devices/captures", station, apptest.CaptureBody(t, enrol.No, apptest.Face(2))); r.Status != 201 {
		t.Fatalf("enrol: %d %s", r.Status, r.Body)
	}
	lost := applicant("JKS-20260302-C002", civil.ServiceReplacement, 2)
	in.OldPassport(t, "JKS", lost.NIK, "A7000002")
	in.AddApplicant(t, lost, civil.StagePrinting, apptest.Monday)
	in.Printed(t, lost, "X2000002")
	if _, err := in.App.Backoffice.Stages.Move(context.Background(), application.Request{No: lost.No, To: civil.StageValidation,
		Actor: application.Actor{Kind: application.KindOfficer, ID: "p", Office: "JKS", Roles: []string{"printer"}}}); err != nil {
		t.Fatal(err)
	}
	in.Do(t, "POST", "/api/v1/backoffice/validations/"+lost.No+"/approve", head, nil)
	in.VerifyFace(t, camera, lost.No, apptest.Face(2))
	if r := handover(clerk, lost.No); r.Status != 200 || !strings.Contains(string(r.Body), `"previous_status":"lost"`) {
		t.Fatalf("lost replacement handover: %d %s", r.Status, r.Body)
	}
	if got := in.PassportStatus(t, "A7000002"); got != "lost" {
		t.Fatalf("lost passport is %s, want lost", got)
	}
	var st struct{ Stage string }
	in.Do(t, "GET", "/api/v1/applications/"+lost.No+"/status?birth_date=1990-10-20", "", nil).JSON(t, &st)
	if st.Stage != "picked_up" {
		t.Fatalf("public status %q", st.Stage)
	}
	if !slices.Contains(application.Next(civil.StageValidation), civil.StagePrinting) {
		t.Fatal("no validation → printing in the machine")
	}
}
