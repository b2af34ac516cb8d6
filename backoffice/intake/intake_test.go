package intake_test

import (
	"context"
	"errors"
	"testing"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/intake"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
)

func code(err error) string {
	if e, ok := httpx.As(intake.HTTPError(err)); ok {
		return e.Code
	}
	return ""
}

// TestTakeInEdges: taking in twice is harmless; a pickup ticket is not an
// application; a bare queued → desk move still opens the desk's record;
// nothing of the desk changes after the hand-over; scans stay in their office.
func TestTakeInEdges(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	ctx := context.Background()
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 5, 1)
	q := in.App.Queue
	for _, b := range []queue.Booth{{Number: 1, Services: civil.OSSBoothServices}, {Number: 2, Services: civil.PickupBoothServices}} {
		if err := q.SetBooth(ctx, "JKS", b, "test"); err != nil {
			t.Fatal(err)
		}
	}
	desk := application.Actor{Kind: application.KindOfficer, ID: "7", Office: "JKS", Roles: []string{"desk"}}
	svc := in.App.Intake
	walk := &intake.EnrolmentInput{NIK: apptest.NIK("1985-01-15", false, 6101), FullName: "Budi Santoso", BirthDate: "1985-01-15", Sex: "M"}

	if _, err := q.Walkin(ctx, "JKS", "new", "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Walkin(ctx, "JKS", "pickup", "test"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := q.CallNext(ctx, "JKS", 1, "officer:7"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := q.CallNext(ctx, "JKS", 2, "officer:7"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TakeIn(ctx, desk, 2, walk); code(err) != "intake_pickup_ticket" {
		t.Fatalf("pickup ticket taken in: %v", err)
	}
	bad := *walk
	bad.BirthDate = "1985-01-16" // disagrees with the NIK
	if _, err := svc.TakeIn(ctx, desk, 1, &bad); code(err) != "validation_failed" {
		t.Fatalf("NIK and birth date disagree: %v", err)
	}
	no, err := svc.TakeIn(ctx, desk, 1, walk)
	if err != nil || no != "JKS-20260302-A001" {
		t.Fatalf("take-in: %q %v", no, err)
	}
	if again, err := svc.TakeIn(ctx, desk, 1, nil); err != nil || again != no {
		t.Fatalf("second take-in: %q %v", again, err)
	}
	if _, err := svc.TakeIn(ctx, desk, 3, walk); code(err) != "no_current_ticket" {
		t.Fatalf("booth with no ticket: %v", err)
	}

	// Another office sees none of it.
	other := desk
	other.Office = "DPS"
	if _, err := svc.Desk(ctx, "DPS", no); !errors.Is(err, application.ErrNotFound) {
		t.Fatalf("another office's desk view: %v", err)
	}
	if _, err := svc.AddScan(ctx, other, no, "ktp", []byte("%PDF-1.4"), ""); !errors.Is(err, application.ErrNotFound) {
		t.Fatalf("another office's scan: %v", err)
	}
	sc, err := svc.AddScan(ctx, desk, no, "ktp", []byte("%PDF-1.4 e-KTP"), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.ReadScan(ctx, other, no, sc.ID); !errors.Is(err, intake.ErrNoScan) {
		t.Fatalf("another office reads the scan: %v", err)
	}

	if _, err := svc.Save(ctx, desk, no, intake.Update{Checklist: map[string]bool{"ktp": true, "family_card": true, "birth_certificate": true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Save(ctx, desk, no, intake.Update{Checklist: map[string]bool{"police_report": true}}); code(err) != "validation_failed" {
		t.Fatalf("a document not on the new-passport list: %v", err)
	}
	if _, err := svc.Receipt(ctx, "JKS", no); !errors.Is(err, intake.ErrNotHandedOver) {
		t.Fatalf("receipt before hand-over: %v", err)
	}
	out, err := svc.Handover(ctx, desk, no)
	if err != nil || out.Stage != civil.StageBiometric {
		t.Fatalf("hand-over: %+v %v", out, err)
	}
	if _, err := svc.Handover(ctx, desk, no); code(err) != "invalid_transition" {
		t.Fatalf("second hand-over: %v", err)
	}
	if _, err := svc.Save(ctx, desk, no, intake.Update{Notes: "later"}); code(err) != "invalid_transition" {
		t.Fatalf("saved after the hand-over: %v", err)
	}

	// A bare queued → desk move (the generic transition) opens the record too.
	in.AddApplicant(t, application.New{No: "JKS-20260302-A050", Office: "JKS", Service: "renewal", NIK: apptest.NIK("1990-10-20", true, 6102),
		FullName: "Siti Aminah", BirthDate: apptest.Day("1990-10-20"), Sex: "F"}, civil.StageQueued, apptest.Monday)
	if _, err := in.App.Backoffice.Stages.Move(ctx, application.Request{No: "JKS-20260302-A050", To: civil.StageDesk, Actor: desk}); err != nil {
		t.Fatal(err)
	}
	if d, err := svc.Desk(ctx, "JKS", "JKS-20260302-A050"); err != nil || len(d.Checklist) != 3 || d.Checklist[2].Doc != "old_passport" {
		t.Fatalf("desk record after a bare move: %+v %v", d, err)
	}
}
