package pickup_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/sms"
)

const password = "correct-horse-battery"

// One applicant walks validation → pickup in Chromium: the office head sees
// the data page and validates it (a second applicant's page goes back to
// print with a reason), the collector takes an E number, the pickup officer
// calls it, a face that does not match is refused on the page, the
// applicant's own face lets the passport be handed over, and the completion
// page offers the feedback form. The applicant's status page shows each
// stage in plain words; axe checks every page on the way.
func TestValidationToPickupInBrowser(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	bg := context.Background()
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 10, 2)
	if err := in.App.Queue.SetBooth(bg, "JKS", queue.Booth{Number: 5, Name: "Loket 5", Services: civil.PickupBoothServices}, "test"); err != nil {
		t.Fatal(err)
	}
	station := in.DeviceToken(t, "JKS", "biometric", "Stasiun 1")
	camera := in.DeviceToken(t, "JKS", "biometric", "Kamera loket 5")
	kiosk := in.DeviceToken(t, "JKS", "kiosk", "Kios Lobi")
	siti := application.New{No: "JKS-20260302-A001", Office: "JKS", Service: civil.ServiceNew, NIK: apptest.NIK("1990-10-20", true, 1),
		FullName: "Siti Aminah", BirthDate: apptest.Day("1990-10-20"), Sex: "F", Phone: "+6281234567890"}
	budi := siti
	budi.No, budi.NIK, budi.FullName, budi.Sex, budi.Phone = "JKS-20260302-A002", apptest.NIK("1990-10-20", false, 2), "Budi Santoso", "M", "+6281298765432"
	in.ToValidation(t, siti, station, "X3000001", apptest.Face(1))
	in.ToValidation(t, budi, station, "X3000002", apptest.Face(2))
	for _, o := range []officer.NewOfficer{{Username: "jks.head", Roles: []string{"validator"}}, {Username: "jks.pickup", Roles: []string{"pickup"}}} {
		o.Password, o.Office = password, "JKS"
		if _, err := officer.AddOfficer(bg, in.Pool, o, "test", apptest.Monday); err != nil {
			t.Fatal(err)
		}
	}
	ctx := browsertest.New(t)
	sid := 0
	status := func(a application.New, want, wantSMS string) {
		t.Helper()
		no := a.No
		do(t, ctx, "status "+no, chromedp.Navigate(in.URL+"/status"), chromedp.WaitVisible("#application_no"),
			chromedp.SendKeys("#application_no", no), chromedp.SetValue("#birth_date", "1990-10-20"),
			chromedp.Submit("#application_no"), chromedp.WaitVisible(`.alert-info[role=status]`))
		if got := text(t, ctx, `.alert-info[role=status]`); !strings.Contains(got, want) {
			t.Errorf("status page of %s says %q, want %q", no, got, want)
		}
		browsertest.AssertNoAxeViolations(t, ctx)
		sid++
		reply, err := in.App.SMS.Handle(bg, sms.Inbound{Sid: fmt.Sprintf("SM%032d", sid), From: a.Phone, Channel: "sms", Body: "STATUS " + no})
		if err != nil || !strings.Contains(reply, wantSMS) {
			t.Errorf("STATUS %s answers %q (%v), want %q", no, reply, err, wantSMS)
		}
		if n, enc := sms.Segments(reply); n != 1 || enc != sms.GSM7 {
			t.Errorf("STATUS %s: %d %s segments", no, n, enc)
		}
	}
	status(siti, "sedang diperiksa serta disahkan oleh kepala kantor", "sedang disahkan kepala kantor")

	signIn(t, ctx, in.URL, "jks.head")
	do(t, ctx, "validation page", chromedp.Navigate(in.URL+"/backoffice/validation"), chromedp.WaitVisible("#validate-"+siti.No))
	if got := text(t, ctx, "#validate-"+siti.No); !strings.Contains(got, "X3000001") || !strings.Contains(got, "Siti Aminah") {
		t.Errorf("data page to validate: %q", got)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "reprint", chromedp.SendKeys("#reason-"+budi.No, "nama terpotong"), chromedp.Click("#reprint-"+budi.No),
		chromedp.WaitVisible("#validation-message"))
	// The reprint's page shows a message too: wait for the page without
	// Siti's button, or the old message is read while the approval posts.
	do(t, ctx, "approve", chromedp.Click("#approve-"+siti.No), chromedp.WaitNotPresent("#approve-"+siti.No),
		chromedp.WaitVisible("#validation-message"))
	if got := text(t, ctx, "#validation-message"); !strings.Contains(got, siti.No) {
		t.Errorf("after approving: %q", got)
	}
	if js(t, ctx, `String(document.querySelectorAll(".validation-item").length)`) != "0" {
		t.Errorf("validation page still lists applications")
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	if sent := in.SMSTo(t, siti.Phone, "ready_for_pickup"); len(sent) != 1 || !strings.Contains(sent[0], siti.No) {
		t.Errorf("ready SMS: %q", sent)
	}
	signOut(t, ctx)
	status(budi, "sedang dicetak", "paspor sedang dicetak")
	status(siti, "ambil nomor antrean E", "ambil nomor E di kiosk")

	// The collector takes an E number at the kiosk; the pickup officer calls it.
	r := in.Do(t, "POST", "/api/v1/kiosk/tickets", kiosk, map[string]string{"service": "pickup"})
	if r.Status != 201 || !strings.Contains(string(r.Body), `"ticket":"E001"`) {
		t.Fatalf("pickup ticket at the kiosk: %d %s", r.Status, r.Body)
	}
	signIn(t, ctx, in.URL, "jks.pickup")
	// The call's own message, not #booth-current (on the page before the call too).
	do(t, ctx, "call E001", chromedp.Navigate(in.URL+"/backoffice/queue?booth=5"), chromedp.Click("#call-next"),
		chromedp.WaitVisible(`.alert-success[role=status]`))
	if got := text(t, ctx, "#booth-current"); got != "E001" {
		t.Errorf("booth 5 calls %q, want E001", got)
	}
	do(t, ctx, "pickup page", chromedp.Navigate(in.URL+"/backoffice/pickup"), chromedp.WaitVisible("#no"),
		chromedp.SendKeys("#no", siti.No), chromedp.Click("#find"), chromedp.WaitVisible("#pickup-application"))
	browsertest.AssertNoAxeViolations(t, ctx)

	in.VerifyFace(t, camera, siti.No, apptest.Face(77))
	do(t, ctx, "refused", chromedp.Click("#recheck"), chromedp.WaitVisible("#handover"), chromedp.Click("#handover"),
		chromedp.WaitVisible("#pickup-error"))
	if got := text(t, ctx, "#pickup-error"); !strings.Contains(got, "tidak cocok") || !strings.Contains(got, "BAP") {
		t.Errorf("refusal says %q", got)
	}
	browsertest.AssertNoAxeViolations(t, ctx)

	in.VerifyFace(t, camera, siti.No, apptest.Face(1))
	do(t, ctx, "handover", chromedp.Navigate(in.URL+"/backoffice/pickup?no="+siti.No), chromedp.WaitVisible("#pickup-check"))
	if got := text(t, ctx, "#pickup-check"); !strings.Contains(got, "Cocok") {
		t.Errorf("face check shows %q", got)
	}
	do(t, ctx, "handover", chromedp.Click("#handover"), chromedp.WaitVisible("#pickup-done"))
	if got := text(t, ctx, "#handover"); !strings.Contains(got, "X3000001") || !strings.Contains(got, "pemohon sendiri") {
		t.Errorf("handover record: %q", got)
	}
	if got := js(t, ctx, `document.querySelector("#feedback").getAttribute("action") + " " + document.querySelector("#feedback [name=point]").value`); got != "/backoffice/applications/"+siti.No+"/feedback pickup" {
		t.Errorf("feedback form: %q", got)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	signOut(t, ctx)
	status(siti, "sudah diserahkan dan kini berlaku", "sudah diserahkan dan berlaku")
}

func signIn(t *testing.T, ctx context.Context, base, user string) {
	t.Helper()
	do(t, ctx, "sign in "+user, chromedp.Navigate(base+"/backoffice/login"), chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", user), chromedp.SendKeys("#password", password), chromedp.Submit("#password"),
		chromedp.WaitVisible("#officer-who"))
}

func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, "sign out", chromedp.Click(`nav.officer-nav form[action="/backoffice/logout"] button`), chromedp.WaitVisible("#username"))
}

// do runs steps within 30 s (a loaded machine); a failure shows the page it stopped on.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, browsertest.StepTimeout)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Fatalf("%s: %v on %s: %.1500s", what, err, js(t, ctx, `location.href`), js(t, ctx, `document.body.innerText`))
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return js(t, ctx, `(document.querySelector(`+"`"+sel+"`"+`) || {}).textContent || ""`)
}

func js(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}
