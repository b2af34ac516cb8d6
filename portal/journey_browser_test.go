package portal_test

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// MaxPageBytes is issue 3's budget per page (HTML + CSS + JS, QR image aside).
const MaxPageBytes = 60 * 1024

// The whole citizen journey in headless Chromium, with JavaScript on and off:
// sign in with the OTP read from the outbox, book (after fixing an inline
// error), see the QR code, reschedule, cancel, look up a status. axe-core
// runs on every page.
func TestPortalJourneyBrowser(t *testing.T) {
	for _, js := range []bool{true, false} {
		name := "js_on"
		if !js {
			name = "js_off"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			journey(t, js)
		})
	}
}

// browser drives one tab; it stops the test at the first failed step.
type browser struct {
	t   *testing.T
	ctx context.Context
	js  bool
	in  *apptest.Instance
}

func (b browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browsertest.StepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		_ = browsertest.Screenshot(b.ctx, "/tmp/portal-fail.png")
		html, _ := chromedp.Run(b.ctx, chromedp.OuterHTML("main"))
		b.t.Fatalf("%s: %v\n%s", what, err, html)
	}
}

func (b browser) attr(sel, name string) string {
	b.t.Helper()
	r, err := chromedp.Run(b.ctx, chromedp.AttributeValue(sel, name))
	if err != nil {
		b.t.Fatalf("attribute %s of %s: %v", name, sel, err)
	}
	return r.Value
}

// axe runs axe-core; with page scripts off it switches them on just for axe
// (the page's own scripts never ran, and do not run now).
func (b browser) axe() {
	b.t.Helper()
	if !b.js {
		b.scripts(true)
		defer b.scripts(false)
	}
	browsertest.AssertNoAxeViolations(b.t, b.ctx)
}

func (b browser) scripts(on bool) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		b.t.Fatal(err)
	}
}

func journey(t *testing.T, js bool) {
	clk := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	in.OpenDay(t, "JKS", "2026-03-04", 10, 5)
	in.OpenDay(t, "JKS", "2026-03-05", 10, 5)
	in.AddApplication(t, "JKS-260302-0001", "", civil.StageReady, apptest.Opening)
	b := browser{t: t, ctx: browsertest.New(t), js: js, in: in}
	if !js {
		b.scripts(false)
	}
	u := in.URL

	// Home and the office calendar; a bookable day links to the form.
	b.do("home", chromedp.Navigate(u+"/"), chromedp.WaitVisible("#offices-heading"))
	if ran := strings.Contains(" "+b.attr("html", "class")+" ", " js "); ran != js {
		t.Fatalf("page scripts ran: %v, want %v", ran, js)
	}
	b.axe()
	b.do("office calendar", chromedp.Navigate(u+"/offices/JKS"), chromedp.WaitVisible(".calendar"))
	b.axe()
	b.do("pick 4 March", chromedp.Click(`a[href="/book?office=JKS&date=2026-03-04"]`), chromedp.WaitVisible("#phone"))

	// Sign in: not signed in, so the form sends us to /login and back.
	b.axe()
	b.do("send code", chromedp.SendKeys("#phone", "0812 7777 8888"), chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible("#code"))
	b.axe()
	b.do("wrong code", chromedp.SendKeys("#code", wrongOf(in.LastOTP(t, "+6281277778888"))),
		chromedp.Click(`form[action="/login/verify"] button[type=submit]`), chromedp.WaitVisible(".error-summary"))
	if got := b.attr("#code", "aria-describedby"); !strings.Contains(got, "code-error") {
		t.Errorf("code field not linked to its error: %q", got)
	}
	b.axe()
	b.do("right code", chromedp.SendKeys("#code", in.LastOTP(t, "+6281277778888")),
		chromedp.Click(`form[action="/login/verify"] button[type=submit]`), chromedp.WaitVisible("#nik"))
	if got := b.attr(`#date option[selected]`, "value"); got != "2026-03-04" {
		t.Errorf("chosen day not preselected: %q", got)
	}
	b.axe()

	// A birth date that disagrees with the NIK: an inline error, linked.
	// (Birth dates are date inputs: keys go in the browser's en-US order, MMDDYYYY.)
	nik := apptest.NIK("1990-10-20", true, 7)
	b.do("book with a wrong birth date", chromedp.SendKeys("#nik", nik), chromedp.SendKeys("#full_name", "Siti Aminah"),
		chromedp.SendKeys("#birth_date", "10211990"), chromedp.Click("#sex-f"),
		chromedp.Click(`form[action="/book"] button[value=book]`), chromedp.WaitVisible(".error-summary"))
	if got := b.attr("#birth_date", "aria-describedby"); !strings.Contains(got, "birth_date-error") || b.attr("#birth_date", "aria-invalid") != "true" {
		t.Errorf("birth date error not linked: describedby %q", got)
	}
	if b.attr("#nik", "value") != nik {
		t.Errorf("the form lost the NIK")
	}
	b.axe()
	b.do("book", chromedp.Navigate(u+"/book?office=JKS&date=2026-03-04"), chromedp.WaitVisible("#nik"),
		chromedp.SendKeys("#nik", nik), chromedp.SendKeys("#full_name", "Siti Aminah"),
		chromedp.SendKeys("#birth_date", "10201990"), chromedp.Click("#sex-f"),
		chromedp.Click(`form[action="/book"] button[value=book]`), chromedp.WaitVisible("#booking-code"))
	b.axe()
	list, err := in.App.Quota.Bookings(context.Background(), "+6281277778888")
	if err != nil || len(list) != 1 || list[0].Status != "booked" {
		t.Fatalf("bookings after the form: %+v %v", list, err)
	}
	code := list[0].Code
	cookie := sessionCookie(t, b)
	qr := fetch(t, u+b.attr(`img[src$="qr.png"]`, "src"), cookie)
	if img, err := png.Decode(bytes.NewReader(qr)); err != nil || img.Bounds().Dx() < 200 {
		t.Fatalf("QR code: %v", err)
	}

	// My bookings, reschedule to the next open day, cancel.
	b.do("my bookings", chromedp.Navigate(u+"/bookings"), chromedp.WaitVisible(`a[href="/bookings/`+code+`/reschedule"]`))
	b.axe()
	b.do("reschedule page", chromedp.Click(`a[href="/bookings/`+code+`/reschedule"]`), chromedp.WaitVisible("#date"))
	b.axe()
	newDate := b.attr("#date option", "value")
	if newDate == "2026-03-04" || newDate == "" {
		t.Fatalf("reschedule offers the current day first: %q", newDate)
	}
	b.do("reschedule", chromedp.Click(`form[action$="/reschedule"] button[type=submit]`), chromedp.WaitVisible(".alert-success"))
	b.axe()
	if got, _ := in.App.Quota.Booking(context.Background(), "+6281277778888", code); got.Date.Format("2006-01-02") != newDate {
		t.Fatalf("rescheduled to %s, want %s", got.Date.Format("2006-01-02"), newDate)
	}
	b.do("cancel page", chromedp.Navigate(u+"/bookings/"+code+"/cancel"), chromedp.WaitVisible(".btn-danger"))
	b.axe()
	b.do("cancel", chromedp.Click(".btn-danger"), chromedp.WaitVisible(".alert-success"))
	b.axe()
	if got, _ := in.App.Quota.Booking(context.Background(), "+6281277778888", code); got.Status != "cancelled" {
		t.Fatalf("after cancel: %s", got.Status)
	}

	// Status lookup, the English switch, sign out.
	b.do("status page", chromedp.Navigate(u+"/status"), chromedp.WaitVisible("#application_no"))
	b.axe()
	b.do("status lookup", chromedp.SendKeys("#application_no", "JKS-260302-0001"), chromedp.SendKeys("#birth_date", "10201990"),
		chromedp.Click(`form[action="/status"] button[type=submit]`), chromedp.WaitVisible(".alert-info"))
	b.axe()
	b.do("english", chromedp.Navigate(u+"/offices/JKS?lang=en"), chromedp.WaitVisible(".calendar"))
	if b.attr("html", "lang") != "en" {
		t.Errorf("?lang=en did not switch the page language")
	}
	b.axe()
	b.do("sign-out page", chromedp.Navigate(u+"/logout"), chromedp.WaitVisible("#logout-heading"))
	b.axe()
	b.do("sign out", chromedp.Click(`main form[action="/logout"] button`), chromedp.WaitVisible("#offices-heading"))
	if res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{u}}); err != nil ||
		slices.ContainsFunc(res.Cookies, func(c *network.Cookie) bool { return c.Name == "sppt_session" }) {
		t.Errorf("still signed in after signing out (%v)", err)
	}

	// Every page within budget.
	for _, p := range []string{"/", "/offices/JKS", "/login", "/book?office=JKS&date=2026-03-04", "/bookings",
		"/bookings/" + code, "/bookings/" + code + "/reschedule", "/status"} {
		assertPageSize(t, u+p, cookie)
	}
}

func wrongOf(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// sessionCookie is the browser's session cookie as a Cookie header value.
func sessionCookie(t *testing.T, b browser) string {
	t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.in.URL}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Cookies {
		if c.Name == "sppt_session" {
			if !c.HTTPOnly || c.SameSite != network.CookieSameSiteLax {
				t.Errorf("session cookie: HttpOnly=%v SameSite=%v", c.HTTPOnly, c.SameSite)
			}
			return c.Name + "=" + c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func fetch(t *testing.T, url, cookie string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Cookie", cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	return body
}

// assertPageSize adds the page's stylesheet and script to its HTML.
func assertPageSize(t *testing.T, url, cookie string) {
	t.Helper()
	html := fetch(t, url, cookie)
	base := url[:strings.Index(url[len("http://"):], "/")+len("http://")]
	total := len(html) + len(fetch(t, base+"/static/app.css", "")) + len(fetch(t, base+"/static/app.js", ""))
	if total > MaxPageBytes {
		t.Errorf("%s: %d bytes with CSS and JS, over %d", url, total, MaxPageBytes)
	}
}
