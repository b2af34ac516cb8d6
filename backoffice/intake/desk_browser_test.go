package intake_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, browsertest.StepTimeout)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Fatalf("%s: %v on %s: %.1500s", what, err, js(t, ctx, `location.href`), js(t, ctx, `document.body.innerText`))
	}
}

func js(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// TestDeskScreenWalksOneApplicant walks the OSS desk screen for one booked
// applicant in Chromium: from the booth's call to take-in, the checklist,
// a correction of the name, a scan upload, the hand-over with its receipt
// (ready 3 working days later) and the applicant's feedback; and shows a
// walk-in's take-in form. axe checks every page on the way.
func TestDeskScreenWalksOneApplicant(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	ctx := context.Background()
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 5, 1)
	if err := in.App.Queue.SetBooth(ctx, "JKS", queue.Booth{Number: 1, Name: "Loket 1", Services: civil.OSSBoothServices}, "test"); err != nil {
		t.Fatal(err)
	}
	kiosk := in.DeviceToken(t, "JKS", "kiosk", "Kios Lobi")
	nik := apptest.NIK("1990-10-20", true, 5101)
	code := in.Book(t, "JKS", "2026-03-02", "new", nik)
	if r := in.Do(t, "POST", "/api/v1/kiosk/checkin", kiosk, map[string]string{"booking_code": code, "nik": nik}); r.Status >= 300 {
		t.Fatalf("check-in: %d %s", r.Status, r.Body)
	}
	if _, err := officer.AddOfficer(ctx, in.Pool, officer.NewOfficer{Username: "jks.desk.b", Password: "correct-horse-battery",
		Office: "JKS", Roles: []string{"desk"}}, "test", apptest.Monday); err != nil {
		t.Fatal(err)
	}
	scan := filepath.Join(t.TempDir(), "ktp.png")
	if err := os.WriteFile(scan, append([]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, make([]byte, 64)...), 0o600); err != nil {
		t.Fatal(err)
	}

	b := browsertest.New(t)
	do(t, b, "sign in",
		chromedp.Navigate(in.URL+"/backoffice/login"),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "jks.desk.b"),
		chromedp.SendKeys("#password", "correct-horse-battery"),
		chromedp.Submit("#password"),
		chromedp.WaitVisible("#officer-who"),
		chromedp.Navigate(in.URL+"/backoffice/queue?booth=1"),
		chromedp.Click("#call-next"),
		chromedp.WaitVisible("#to-desk"),
		chromedp.Click("#to-desk"),
		chromedp.WaitVisible("#take-in"),
	)
	if got := js(t, b, `document.getElementById("desk-ticket").textContent`); got != "A001" {
		t.Errorf("desk start shows ticket %q", got)
	}
	browsertest.AssertNoAxeViolations(t, b)
	do(t, b, "take in", chromedp.Click("#take-in"), chromedp.WaitVisible("#desk-form"))
	if h1 := js(t, b, `document.querySelector("h1").textContent`); !strings.Contains(h1, "JKS-20260302-A001") {
		t.Errorf("desk heading %q", h1)
	}
	if name := js(t, b, `document.getElementById("full_name").value`); name != "Siti Aminah" {
		t.Errorf("name not prefilled from the booking: %q", name)
	}
	browsertest.AssertNoAxeViolations(t, b)

	// Hand-over with nothing ticked is refused naming what is missing.
	do(t, b, "early hand-over", chromedp.Click("#desk-handover"), chromedp.WaitVisible("#desk-error"))
	if e := js(t, b, `document.getElementById("desk-error").textContent`); !strings.Contains(e, "ktp") {
		t.Errorf("missing documents not named: %q", e)
	}
	browsertest.AssertNoAxeViolations(t, b)

	do(t, b, "checklist and correction",
		chromedp.SetValue("#full_name", "Siti Aminah Putri"),
		chromedp.Click("#doc-ktp"), chromedp.Click("#doc-family_card"), chromedp.Click("#doc-birth_certificate"),
		chromedp.SetValue("#notes", "Tujuan: kunjungan keluarga"),
		chromedp.Click("#desk-save"),
		chromedp.WaitVisible("#desk-message"),
	)
	if name := js(t, b, `document.getElementById("full_name").value`); name != "Siti Aminah Putri" {
		t.Errorf("correction not kept: %q", name)
	}
	if js(t, b, `String(document.getElementById("doc-ktp").checked)`) != "true" {
		t.Errorf("checklist not kept")
	}
	do(t, b, "scan upload",
		chromedp.SetUploadFiles("#scan-file", []string{scan}),
		chromedp.Click("#scan-upload"),
		chromedp.WaitVisible("#scan-list"),
	)
	if list := js(t, b, `document.getElementById("scan-list").textContent`); !strings.Contains(list, "e-KTP") {
		t.Errorf("scan list %q", list)
	}
	browsertest.AssertNoAxeViolations(t, b)

	do(t, b, "hand over", chromedp.Click("#desk-handover"), chromedp.WaitVisible("#receipt"))
	// Monday 2 March: Tuesday, Wednesday, Thursday.
	if ready := js(t, b, `document.getElementById("receipt-ready").textContent`); ready != "2026-03-05" {
		t.Errorf("receipt ready date %q", ready)
	}
	if r := js(t, b, `document.getElementById("receipt").textContent`); !strings.Contains(r, "Siti Aminah Putri") || !strings.Contains(r, "JKS-20260302-A001") {
		t.Errorf("receipt %q", r)
	}
	browsertest.AssertNoAxeViolations(t, b)
	do(t, b, "feedback",
		chromedp.Click("#score-5"),
		chromedp.SetValue("#comment", "Petugas ramah"),
		chromedp.Click("#feedback-send"),
		chromedp.WaitVisible("#feedback-thanks"),
	)
	browsertest.AssertNoAxeViolations(t, b)
	var score int
	if err := in.Pool.QueryRow(ctx, `SELECT score FROM feedback WHERE application_no = 'JKS-20260302-A001' AND point = 'desk'`).Scan(&score); err != nil || score != 5 {
		t.Errorf("feedback stored: %d %v", score, err)
	}
	var stage string
	_ = in.Pool.QueryRow(ctx, `SELECT stage FROM applications WHERE application_no = 'JKS-20260302-A001'`).Scan(&stage)
	if stage != "biometric" {
		t.Errorf("stage after hand-over %q", stage)
	}

	// The feedback form on its own (pickup's point): a missing score is named.
	do(t, b, "feedback form",
		chromedp.Navigate(in.URL+"/backoffice/applications/JKS-20260302-A001/feedback?point=pickup"),
		chromedp.WaitVisible("#feedback-send"),
	)
	browsertest.AssertNoAxeViolations(t, b)
	do(t, b, "feedback without score", chromedp.Click("#feedback-send"), chromedp.WaitVisible("#feedback-error"))
	browsertest.AssertNoAxeViolations(t, b)

	// A walk-in: the desk types their data before the application exists.
	if r := in.Do(t, "POST", "/api/v1/kiosk/tickets", kiosk, map[string]string{"service": "renewal"}); r.Status != 201 {
		t.Fatalf("walk-in ticket: %d %s", r.Status, r.Body)
	}
	do(t, b, "walk-in",
		chromedp.Navigate(in.URL+"/backoffice/queue?booth=1"),
		chromedp.Click("#call-next"),
		chromedp.WaitVisible("#to-desk"),
		chromedp.Click("#to-desk"),
		chromedp.WaitVisible("#nik"),
		chromedp.Click("#take-in"),
		chromedp.WaitVisible("#desk-error"),
	)
	browsertest.AssertNoAxeViolations(t, b)
	do(t, b, "walk-in data",
		chromedp.SetValue("#nik", apptest.NIK("1985-01-15", false, 5102)),
		chromedp.SetValue("#full_name", "Budi Santoso"),
		chromedp.SetValue("#birth_date", "1985-01-15"),
		chromedp.Click("#sex-m"),
		chromedp.Click("#take-in"),
		chromedp.WaitVisible("#desk-form"),
	)
	if h1 := js(t, b, `document.querySelector("h1").textContent`); !strings.Contains(h1, "JKS-20260302-B001") {
		t.Errorf("walk-in's application number on the desk page: %q", h1)
	}
}
