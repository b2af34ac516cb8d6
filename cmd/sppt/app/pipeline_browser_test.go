package app_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/sms"
	"github.com/sppt/sppt/sms/smstest"
)

// walk is one applicant on the way from printing to pickup: an instance
// with SMS through a fake Twilio, the bank's callback secret, the OSS booth
// 1 and the pickup booth 5, three blanks in the vault, the office head and
// the pickup officer with passwords; a browser with the officers' tab and
// the applicant's own; the print job the printer holds.
type walk struct {
	t                *testing.T
	in               *apptest.Instance
	twilio           *smstest.Twilio
	kiosk, printer   string // device tokens
	browser, citizen context.Context
	no               string
	face             []float64
	job              claimed
	sid              int
}

const (
	bpTwilioAccount = "ACtest0000000000000000000000000012"
	bpTwilioToken   = "pipelinebrowsertwiliotoken01" // twilio-go takes letters and digits only
	bpTwilioFrom    = "+14155550100"
	bpPassword      = "correct-horse-battery"
	bpPhone         = "+6281234567890" // apptest.Book's applicant
)

// startWalk books one applicant and pays by API (apptest.PayByAPI): the
// application is in printing.
func startWalk(t *testing.T) *walk {
	t.Helper()
	const secret = "browser-bank-callback-secret-01"
	fake, err := smstest.Start(bpTwilioAccount, bpTwilioToken)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	clk := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk, Configure: func(c *config.Config) {
		c.BankCallbackSecret = secret
		c.SMSDriver, c.TwilioAPIURL, c.TwilioFrom = "twilio", fake.URL, bpTwilioFrom
		c.TwilioAccountSID, c.TwilioAuthToken = bpTwilioAccount, bpTwilioToken
	}})
	ctx := context.Background()
	in.SetQuota(t, "JKS", apptest.Day("2026-03-04"), 10, 2)
	for _, b := range []queue.Booth{{Number: 1, Services: civil.OSSBoothServices},
		{Number: 5, Name: "Loket 5", Services: civil.PickupBoothServices}} {
		if err := in.App.Queue.SetBooth(ctx, "JKS", b, "test"); err != nil {
			t.Fatal(err)
		}
	}
	clk.Set(deskDay)
	if _, err := in.App.Ledger.Receive(ctx, "JKS", "ordinary_48", "A0000001", 3, "test", clk.Now()); err != nil {
		t.Fatal(err)
	}
	for _, o := range []officer.NewOfficer{{Username: "jks.head", Roles: []string{"validator"}},
		{Username: "jks.pickup", Roles: []string{"pickup"}}} {
		o.Password, o.Office = bpPassword, "JKS"
		if _, err := officer.AddOfficer(ctx, in.Pool, o, "test", clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	w := &walk{t: t, in: in, twilio: fake, kiosk: in.DeviceToken(t, "JKS", "kiosk", "Kios Lobi"),
		printer: in.DeviceToken(t, "JKS", "printer", "Printer 1"), face: apptest.Face(9201)}
	oss := apptest.OSS{Booth: 1, Kiosk: w.kiosk, Desk: in.OfficerToken(t, "JKS", "jks.desk", "desk"),
		Station: in.DeviceToken(t, "JKS", "biometric", "Stasiun 1"), Adjudicator: in.OfficerToken(t, "JKS", "jks.adj", "adjudicator"),
		BankSecret: secret}
	nik := apptest.NIK("1990-10-20", true, 9201)
	w.no = in.PayByAPI(t, oss, in.Book(t, "JKS", "2026-03-04", "new", nik), nik, "BNI-BROWSER-1", w.face)
	w.browser = browsertest.New(t)
	w.citizen = browsertest.NewTab(t, w.browser)
	return w
}

// One applicant, paid by API, walks printing → validation → pickup: the
// printer (device API) spoils a blank at its QA and prints on the next;
// the office head checks the data page with its MRZ in Chromium, sends it
// back to print once with a reason (printed again on a new blank, the
// booklet sent back spoiled), and validates the reprint (a second, stale
// tab's approval is refused); the collector takes an E number, the pickup
// officer calls it and hands the passport over after the counter camera's
// matching face. At every stage the citizen's status page and a signed
// STATUS SMS from the registered phone say it; one "ready for pickup" SMS
// names the application and the office, and Twilio gets it once; the
// passport's MRZ verifies. axe checks each page on the way.
func TestPrintingValidationPickupInBrowser(t *testing.T) {
	t.Parallel()
	w := startWalk(t)
	w.stage(civil.StagePrinting)
	w.claim()
	w.result("A0000001", "spoiled", "tinta luntur")
	w.stage(civil.StagePrinting)
	w.claim()
	first := w.job
	w.result("A0000002", "printed", "")
	w.stage(civil.StageValidation)

	browsertest.SignIn(t, w.browser, w.in.URL, "jks.head", bpPassword)
	w.dataPage("validation page")
	w.sendBack("foto buram")
	w.stage(civil.StagePrinting)
	w.claim()
	if w.job.JobID != first.JobID || w.job.PassportNo != first.PassportNo {
		t.Errorf("the reprint's job %s / %s, want the first %s / %s", w.job.JobID, w.job.PassportNo, first.JobID, first.PassportNo)
	}
	w.result("A0000003", "printed", "")
	w.stage(civil.StageValidation)
	w.dataPage("validation page after the reprint")
	w.approveTwice()
	w.readyOnce("after the second approval")
	browsertest.SignOut(t, w.browser)
	w.stage(civil.StageReady)

	w.pickUp()
	w.stage(civil.StagePickedUp)
	w.readyOnce("after the pickup")
	w.readyToTwilioOnce()
	w.checkRecords("A0000002", "foto buram")
}

// stage checks what the applicant is told at st: the status look-up page
// (number and birth date) in the applicant's tab, and the reply to a
// signed STATUS SMS from the registered phone.
func (w *walk) stage(st civil.Stage) {
	t, cat := w.t, w.in.App.Pages.Catalog()
	t.Helper()
	browsertest.Step(t, w.citizen, "status page at "+string(st), chromedp.Navigate(w.in.URL+"/status"),
		chromedp.WaitVisible("#application_no"), chromedp.SendKeys("#application_no", w.no),
		chromedp.SetValue("#birth_date", "1990-10-20"), chromedp.Submit("#application_no"),
		chromedp.WaitVisible(`.alert-info[role=status]`))
	want := cat.T("id", "stage."+string(st)+".now")
	if got := pageText(t, w.citizen, `.alert-info[role=status]`); !strings.Contains(got, w.no) || !strings.Contains(got, want) {
		t.Errorf("status page at %s says %q, want %q", st, got, want)
	}
	browsertest.AssertNoAxeViolations(t, w.citizen)
	w.sid++
	reply := textStatus(t, w.in, fmt.Sprintf("SM%032d", w.sid), bpPhone, "STATUS "+strings.ToLower(w.no))
	if want := cat.T("id", "sms.reply.status", "appno", w.no, "stage", cat.T("id", "sms.stage."+string(st))); reply != want {
		t.Errorf("STATUS at %s answers %q, want %q", st, reply, want)
	}
}

// claim is the printer taking the applicant's job.
func (w *walk) claim() {
	w.t.Helper()
	r := w.in.Do(w.t, "POST", "/api/v1/devices/print-jobs/claim", w.printer, nil)
	if r.Status != 200 {
		w.t.Fatalf("claim: %d %s", r.Status, r.Body)
	}
	r.JSON(w.t, &w.job)
	if w.job.ApplicationNo != w.no {
		w.t.Fatalf("claimed %+v, want %s's job", w.job, w.no)
	}
}

// result is the printer's report on the job it holds.
func (w *walk) result(serial, result, reason string) {
	w.t.Helper()
	body := map[string]string{"serial": serial, "result": result, "reason": reason}
	if r := w.in.Do(w.t, "POST", "/api/v1/devices/print-jobs/"+w.job.JobID+"/result", w.printer, body); r.Status != 200 {
		w.t.Fatalf("print result %v: %d %s", body, r.Status, r.Body)
	}
}

// dataPage is the office head's validation page showing the data page as
// the printer printed it: passport number, name and both MRZ lines.
func (w *walk) dataPage(what string) {
	t, card := w.t, "#validate-"+w.no
	t.Helper()
	browsertest.Step(t, w.browser, what, chromedp.Navigate(w.in.URL+"/backoffice/validation"), chromedp.WaitVisible(card))
	if got := pageText(t, w.browser, card); !strings.Contains(got, w.job.PassportNo) || !strings.Contains(got, "Siti Aminah") {
		t.Errorf("%s: data page %q", what, got)
	}
	if got := pageText(t, w.browser, card+" pre.mrz"); got != w.job.MRZ[0]+"\n"+w.job.MRZ[1]+"\n" {
		t.Errorf("%s: the MRZ shown is %q, want the printed %q", what, got, w.job.MRZ)
	}
	browsertest.AssertNoAxeViolations(t, w.browser)
}

// sendBack is the office head finding a fault: back to print, with reason.
func (w *walk) sendBack(reason string) {
	w.t.Helper()
	browsertest.Step(w.t, w.browser, "send back", chromedp.SendKeys("#reason-"+w.no, reason), chromedp.Click("#reprint-"+w.no),
		chromedp.WaitVisible("#validation-message"))
	if got := pageText(w.t, w.browser, "#validation-message"); !strings.Contains(got, w.no) {
		w.t.Errorf("after sending back: %q", got)
	}
}

// approveTwice approves in the officers' tab, then again from a second
// tab opened before: that one is refused on the page.
func (w *walk) approveTwice() {
	t, cat := w.t, w.in.App.Pages.Catalog()
	t.Helper()
	stale := browsertest.NewTab(t, w.browser)
	browsertest.Step(t, stale, "validation page, second tab", chromedp.Navigate(w.in.URL+"/backoffice/validation"),
		chromedp.WaitVisible("#approve-"+w.no))
	browsertest.Step(t, w.browser, "approve", chromedp.Click("#approve-"+w.no), chromedp.WaitVisible("#validation-message"))
	if got := pageText(t, w.browser, "#validation-message"); !strings.Contains(got, w.no) {
		t.Errorf("after approving: %q", got)
	}
	if n := pageJS(t, w.browser, `String(document.querySelectorAll(".validation-item").length)`); n != "0" {
		t.Errorf("the validation page still lists %s applications", n)
	}
	browsertest.AssertNoAxeViolations(t, w.browser)
	browsertest.Step(t, stale, "approve again", chromedp.Click("#approve-"+w.no), chromedp.WaitVisible("#validation-error"))
	want := w.no + ": " + cat.T("id", "err.invalid_transition", "stage", "ready", "to", "ready")
	if got := pageText(t, stale, "#validation-error"); got != want {
		t.Errorf("the second approval says %q, want %q", got, want)
	}
	browsertest.AssertNoAxeViolations(t, stale)
}

// pickUp: the collector takes an E number at the kiosk; the pickup officer
// calls it, finds the application, sees the counter camera's matching face
// and hands the passport over.
func (w *walk) pickUp() {
	t, in := w.t, w.in
	t.Helper()
	if r := in.Do(t, "POST", "/api/v1/kiosk/tickets", w.kiosk, map[string]string{"service": "pickup"}); r.Status != 201 ||
		!strings.Contains(string(r.Body), `"ticket":"E001"`) {
		t.Fatalf("pickup ticket at the kiosk: %d %s", r.Status, r.Body)
	}
	browsertest.SignIn(t, w.browser, in.URL, "jks.pickup", bpPassword)
	// The call's own message: #booth-current is on the page before the call too.
	browsertest.Step(t, w.browser, "call E001", chromedp.Navigate(in.URL+"/backoffice/queue?booth=5"),
		chromedp.Click("#call-next"), chromedp.WaitVisible(`.alert-success[role=status]`))
	if got := pageText(t, w.browser, "#booth-current"); got != "E001" {
		t.Errorf("booth 5 calls %q, want E001", got)
	}
	browsertest.Step(t, w.browser, "pickup page", chromedp.Navigate(in.URL+"/backoffice/pickup"), chromedp.WaitVisible("#no"),
		chromedp.SendKeys("#no", w.no), chromedp.Click("#find"), chromedp.WaitVisible("#pickup-application"))
	if got := pageText(t, w.browser, "#pickup-stage"); got != in.App.Pages.Catalog().T("id", "officer.stage.ready") {
		t.Errorf("pickup page shows the stage %q", got)
	}
	browsertest.AssertNoAxeViolations(t, w.browser)
	camera := in.DeviceToken(t, "JKS", "biometric", "Kamera loket 5")
	if r := in.VerifyFace(t, camera, w.no, w.face); r.Status != 200 || !strings.Contains(string(r.Body), `"match":true`) {
		t.Fatalf("the counter camera: %d %s", r.Status, r.Body)
	}
	browsertest.Step(t, w.browser, "face check", chromedp.Click("#recheck"), chromedp.WaitVisible("#pickup-check"))
	if got := pageText(t, w.browser, "#pickup-check"); !strings.Contains(got, "Cocok") {
		t.Errorf("face check shows %q", got)
	}
	browsertest.Step(t, w.browser, "handover", chromedp.Click("#handover"), chromedp.WaitVisible("#pickup-done"))
	if got := pageText(t, w.browser, "#handover"); !strings.Contains(got, w.job.PassportNo) {
		t.Errorf("handover record: %q", got)
	}
	browsertest.AssertNoAxeViolations(t, w.browser)
	browsertest.SignOut(t, w.browser)
}

// readyOnce: the outbox holds one "ready for pickup" SMS for the phone,
// naming the application and the office.
func (w *walk) readyOnce(when string) {
	w.t.Helper()
	sent := w.in.SMSTo(w.t, bpPhone, sms.NoticeReady)
	if len(sent) != 1 || !strings.Contains(sent[0], w.no) || !strings.Contains(sent[0], "Jakarta Selatan") {
		w.t.Errorf("ready SMS %s: %q, want one naming %s and the office", when, sent, w.no)
	}
}

// readyToTwilioOnce: once the outbox has sent everything, Twilio got the
// ready message once.
func (w *walk) readyToTwilioOnce() {
	w.t.Helper()
	waitOutbox(w.t, w.in, time.Minute)
	n := 0
	for _, m := range w.twilio.Accepted() {
		if m.To == bpPhone && strings.Contains(m.Body, w.no) && strings.Contains(m.Body, "siap diambil") {
			n++
		}
	}
	if n != 1 {
		w.t.Errorf("Twilio got %d ready messages for %s, want 1", n, w.no)
	}
}

// checkRecords, after the pickup: the passport record (valid, every MRZ
// check digit right, the lines printed), the blanks (the printer's and the
// office head's spoiled, sentBack with the head's reason), and the history.
func (w *walk) checkRecords(sentBack, reason string) {
	t, in, ctx := w.t, w.in, context.Background()
	t.Helper()
	head := in.Login(t, "jks.head", bpPassword)
	var pp struct {
		ApplicationNo string `json:"application_no"`
		Status        string
		MRZ           []string
	}
	r := in.Do(t, "GET", "/api/v1/backoffice/passports/"+w.job.PassportNo, head, nil)
	r.JSON(t, &pp)
	if r.Status != 200 || pp.ApplicationNo != w.no || pp.Status != "valid" || fmt.Sprint(pp.MRZ) != fmt.Sprint(w.job.MRZ) {
		t.Fatalf("passport %s: %d %s", w.job.PassportNo, r.Status, r.Body)
	}
	assertMRZ(t, pp.MRZ)
	if !strings.HasPrefix(pp.MRZ[0], "P<IDNSITI<AMINAH<<") {
		t.Errorf("MRZ line 1 %q", pp.MRZ[0])
	}
	total, _, err := in.App.Ledger.Report(ctx, "JKS")
	if err != nil {
		t.Fatal(err)
	}
	if total.Received != 3 || total.Of("spoiled") != 2 || total.Of("issued") != 1 || total.Unaccounted != 0 {
		t.Errorf("blanks: %+v, want 3 received, 2 spoiled (printer, office head), 1 issued", total)
	}
	var got string
	if err := in.Pool.QueryRow(ctx, `SELECT reason FROM blanks WHERE serial = $1`, sentBack).Scan(&got); err != nil || got != reason {
		t.Errorf("the booklet sent back: reason %q (%v), want %q", got, err, reason)
	}
	var app struct{ History []struct{ Stage string } }
	in.Do(t, "GET", "/api/v1/backoffice/applications/"+w.no, head, nil).JSON(t, &app)
	var stages []string
	for _, h := range app.History {
		stages = append(stages, h.Stage)
	}
	if got := strings.Join(stages, " "); !strings.HasSuffix(got, "billing printing validation printing validation ready picked_up") {
		t.Errorf("history %s", got)
	}
}

// textStatus sends body from phone as Twilio's signed inbound webhook and
// returns the TwiML reply's text.
func textStatus(t *testing.T, in *apptest.Instance, sid, from, body string) string {
	t.Helper()
	form := url.Values{"MessageSid": {sid}, "AccountSid": {bpTwilioAccount}, "From": {from}, "To": {bpTwilioFrom},
		"Body": {body}, "NumMedia": {"0"}}
	sig := smstest.Sign(bpTwilioToken, in.URL+"/api/v1"+sms.InboundPath, form)
	r := in.Do(t, "POST", "/api/v1"+sms.InboundPath, "", form.Encode(),
		"Content-Type", "application/x-www-form-urlencoded", "X-Twilio-Signature", sig)
	var twiml struct {
		Message string `xml:"Message"`
	}
	if err := xml.Unmarshal(r.Body, &twiml); r.Status != 200 || err != nil {
		t.Fatalf("%q from %s: %d %s (%v)", body, from, r.Status, r.Body, err)
	}
	return twiml.Message
}

// waitOutbox waits until the outbox has nothing queued or sending.
func waitOutbox(t *testing.T, in *apptest.Instance, within time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(within); ; time.Sleep(100 * time.Millisecond) {
		open, err := sms.Pending(context.Background(), in.Pool)
		if err != nil {
			t.Fatal(err)
		}
		if open == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages still unsent after %s", open, within)
		}
	}
}

// pageText is the text of the first element sel matches ("" if none).
func pageText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return pageJS(t, ctx, `(document.querySelector(`+"`"+sel+"`"+`) || {}).textContent || ""`)
}

func pageJS(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}
