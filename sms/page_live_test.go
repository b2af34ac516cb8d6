package sms_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/sms"
)

// addMessage writes one stored JKS message (no send job: it stays as written).
func addMessage(t *testing.T, in *apptest.Instance, key, status string, at time.Time) {
	t.Helper()
	_, err := in.Pool.Exec(context.Background(), `INSERT INTO sms_messages (idem_key, to_phone, kind, office, body, status, created_at, updated_at)
		VALUES ($1, '+6281399990009', 'booking_confirmed', 'JKS', 'z', $2, $3, $3)`, key, status, at)
	if err != nil {
		t.Fatal(err)
	}
}

func figures(t *testing.T, in *apptest.Instance, cookie string, headers ...string) (apptest.Response, sms.Figures) {
	t.Helper()
	r := in.Do(t, "GET", sms.FiguresPath, "", nil, append([]string{"Cookie", cookie, "Accept", "application/json"}, headers...)...)
	var f sms.Figures
	if r.Status == 200 {
		r.JSON(t, &f)
	}
	return r, f
}

// The figures the page's script polls: the same numbers as the page, for
// the officer's own office, officers with the page's roles only; the page
// itself stays complete without JavaScript and links to itself to refresh.
func TestSMSPageFigures(t *testing.T) {
	t.Parallel()
	in, day := pageFixture(t)
	admin := officer.OfficerCookie + "=" + in.OfficerToken(t, "JKS", "jks.smsfigures", "admin")
	r, f := figures(t, in, admin)
	if r.Status != 200 || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("figures: %d %q %s", r.Status, r.Header.Get("Cache-Control"), r.Body)
	}
	today := sms.DayFigures{Day: day.Format(time.DateOnly), Sent: 3, Failed: 1, Queued: 1}
	if len(f.Days) != 1 || f.Days[0] != today {
		t.Errorf("days %+v, want [%+v]", f.Days, today)
	}
	wantCast := sms.CastFigures{ID: 1, Done: 3, Total: 3, Percent: 100, Label: "Siaran kuota harian 10-06-2026: 3 dari 3 selesai (100%)",
		Detail: "Terkirim 3, gagal atau berhenti 0, menunggu 0."}
	if len(f.Broadcasts) != 1 || f.Broadcasts[0] != wantCast {
		t.Errorf("broadcasts %+v, want [%+v]", f.Broadcasts, wantCast)
	}
	if f.Updated != "Angka per pukul 09:00:00." {
		t.Errorf("updated %q", f.Updated)
	}
	// A change shows at the next poll; English on request.
	addMessage(t, in, "live:failed", "failed", testNow)
	if _, f := figures(t, in, admin, "Accept-Language", "en"); len(f.Days) != 1 || f.Days[0].Failed != 2 ||
		len(f.Broadcasts) != 1 || !strings.HasPrefix(f.Broadcasts[0].Label, "Daily quota broadcast 10-06-2026: 3 of 3 done") {
		t.Errorf("after a failure, in English: %+v", f)
	}
	dps := officer.OfficerCookie + "=" + in.OfficerToken(t, "DPS", "dps.smsfigures", "supervisor")
	if r, f := figures(t, in, dps); r.Status != 200 || len(f.Broadcasts) != 0 || len(f.Days) != 1 || f.Days[0].Sent+f.Days[0].Failed+f.Days[0].Queued != 1 {
		t.Errorf("DPS figures: %d %+v", r.Status, f)
	}
	desk := officer.OfficerCookie + "=" + in.OfficerToken(t, "JKS", "jks.smsfiguresdesk", "desk")
	if r, _ := figures(t, in, desk); r.Status != 403 {
		t.Errorf("desk officer: %d", r.Status)
	}
	page := in.Do(t, "GET", sms.PagePath, "", nil, "Cookie", admin)
	for _, want := range []string{
		`<a href="/backoffice/sms" id="sms-refresh">Muat ulang</a>`,
		`<span id="sms-live-updated">Angka per pukul 09:00:00.</span>`,
		`<div id="sms-live-status" role="status"></div>`,
		`<script src="/static/sms_live.js" defer></script>`,
		`href="/backoffice/sms" aria-current="page">SMS &amp; WhatsApp</a>`,
	} {
		if !strings.Contains(string(page.Body), want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(string(page.Body), `href="/backoffice/queue"`) {
		t.Error("an admin's menu links the booth screen, which admins may not open")
	}
}

// waitJS polls a JavaScript expression until it returns want.
func waitJS(t *testing.T, ctx context.Context, expr, want string, within time.Duration) {
	t.Helper()
	var got string
	for start := time.Now(); time.Since(start) < within; time.Sleep(100 * time.Millisecond) {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatal(err)
		}
		if got = v; got == want {
			return
		}
	}
	t.Fatalf("%s = %q after %v, want %q", expr, got, within, want)
}

// In Chromium the numbers follow the database without a reload and without
// a word in the status region; a new day is announced once, politely; axe
// finds nothing on the page before or after.
func TestSMSPageRefreshesInBrowser(t *testing.T) {
	t.Parallel()
	in, day := pageFixture(t)
	in.OfficerToken(t, "JKS", "jks.smslive", "supervisor")
	ctx := browsertest.New(t)
	for i, step := range []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(in.URL + sms.PagePath),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "jks.smslive"),
		chromedp.SendKeys("#password", "correct-horse-battery"),
		chromedp.Submit("#password"),
		chromedp.WaitVisible("#sms-days"),
	} {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := chromedp.Do(sctx, step)
		cancel()
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	menu, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("nav.officer-nav a")).map(function (a) {
		return a.getAttribute("href") + (a.getAttribute("aria-current") === "page" ? "*" : "") }).join(" ")`))
	if err != nil || menu != "/backoffice/work/on-hold /backoffice/queue /backoffice/exceptions /backoffice/watchlist /backoffice/devices /backoffice/sms* /backoffice/blanks /backoffice/sla /backoffice/running-text /backoffice/capacity" {
		t.Fatalf("supervisor's menu %q (%v)", menu, err)
	}
	browsertest.AssertNoAxeViolations(t, ctx)

	cell := `document.querySelector('#sms-days tr[data-day="` + day.Format(time.DateOnly) + `"] td[data-count="failed"]').textContent`
	status := `document.getElementById("sms-live-status").textContent`
	href := `location.pathname`
	addMessage(t, in, "live:failed", "failed", testNow)
	waitJS(t, ctx, cell, "2", 15*time.Second)
	waitJS(t, ctx, status, "", 200*time.Millisecond)
	waitJS(t, ctx, href, sms.PagePath, time.Second) // no reload, no navigation
	// A message two days ago is a row the page does not have: say so, once.
	addMessage(t, in, "live:older", "sent", testNow.Add(-48*time.Hour))
	waitJS(t, ctx, status, "Ada hari atau siaran baru. Pilih Muat ulang untuk melihatnya.", 15*time.Second)
	browsertest.AssertNoAxeViolations(t, ctx)
}
