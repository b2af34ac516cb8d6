package devices_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
)

// luminance is WCAG 2's relative luminance of an sRGB colour.
func luminance(rgb [3]float64) float64 {
	var l [3]float64
	for i, c := range rgb {
		c /= 255
		if c <= 0.03928 {
			l[i] = c / 12.92
		} else {
			l[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

func contrast(a, b [3]float64) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func parseRGB(t *testing.T, s string) [3]float64 {
	t.Helper()
	var c [3]float64
	var alpha float64 = 1
	if strings.HasPrefix(s, "rgba") {
		if _, err := fmt.Sscanf(s, "rgba(%f, %f, %f, %f)", &c[0], &c[1], &c[2], &alpha); err != nil {
			t.Fatalf("colour %q: %v", s, err)
		}
	} else if _, err := fmt.Sscanf(s, "rgb(%f, %f, %f)", &c[0], &c[1], &c[2]); err != nil {
		t.Fatalf("colour %q: %v", s, err)
	}
	if alpha < 1 {
		t.Fatalf("translucent colour %q: the sample would not be the colour seen", s)
	}
	return c
}

// sampleFlashJS pauses the call flash and reads the number's and the
// panel's computed colours every 25 ms of its whole run.
const sampleFlashJS = `(() => {
  const panel = document.querySelector(".tv-now");
  const a = panel.getAnimations().find(x => x.animationName === "tv-flash");
  if (!a) return "[]";
  a.pause();
  const end = a.effect.getComputedTiming().endTime, out = [];
  for (let t = 0; t <= end; t += 25) {
    a.currentTime = t;
    out.push({t, number: getComputedStyle(document.getElementById("tv-number")).color,
      booth: getComputedStyle(document.getElementById("tv-booth")).color, bg: getComputedStyle(panel).backgroundColor});
  }
  a.play();
  return JSON.stringify(out);
})()`

// A TV enrolled with a one-time code: plays the chime without a click (the
// browser started as the README says), keeps the called number readable
// through the whole flash, shows the next numbers in the bottom third, paces
// the ticker by its width, shows as connected on the devices page in the
// office's zone, and becomes a public view once revoked.
func TestTVEnrolledInBrowser(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 10, 2)
	if err := in.App.Queue.SetBooth(context.Background(), "JKS", queue.Booth{Number: 4, Services: civil.OSSBoothServices}, "test"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := in.App.Queue.Walkin(context.Background(), "JKS", "new", "test"); err != nil {
			t.Fatal(err)
		}
	}
	admin := in.OfficerToken(t, "JKS", "jks.admin", "admin")
	desk := in.OfficerToken(t, "JKS", "jks.desk", "desk")
	c := createDevice(t, in, admin, "display", "TV Lobi")

	ctx := browsertest.New(t, chromedp.Flag("autoplay-policy", "no-user-gesture-required"))
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(in.URL+"/tv"), chromedp.WaitVisible("#enrol-code")); err != nil {
		t.Fatal(err)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	if err := chromedp.Do(ctx, chromedp.SendKeys("#enrol-code", c.Code), chromedp.Submit("#enrol-code"), chromedp.WaitVisible("#tv-number")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `location.pathname`, "/tv/JKS", 5*time.Second)
	waitJS(t, ctx, `document.getElementById("tv").dataset.sound + " " + document.getElementById("tv-sound").hidden`, "on true", 5*time.Second)
	// The next numbers, each with its expected wait (one idle booth, the default 8-minute turn).
	waitJS(t, ctx, `document.querySelector('#tv-waiting li[data-service="new"] .tv-next-list').textContent`, "A001 0 mnt A002 8 mnt A003 16 mnt", 5*time.Second)
	layout, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const r = document.getElementById("tv-next-panel").getBoundingClientRect();
		const k = document.querySelector(".tv-ticker").getBoundingClientRect(), s = document.scrollingElement;
		return [Math.round(r.top), Math.round(r.bottom), Math.round(k.bottom), s.scrollHeight <= innerHeight].join(" "); })()`))
	if err != nil {
		t.Fatal(err)
	}
	var top, bottom, tickerBottom int
	var fits bool
	fmt.Sscanf(layout, "%d %d %d %t", &top, &bottom, &tickerBottom, &fits)
	if top < 1080/2 || bottom > 1080 || tickerBottom > 1080 || !fits {
		t.Errorf("1920×1080 layout: next panel %d–%d px, ticker ends %d px, fits %v; want the bottom third used, no scrolling", top, bottom, tickerBottom, fits)
	}
	browsertest.AssertNoAxeViolations(t, ctx)

	// A call: the number shows, the chime plays without a click, and the
	// number stays readable through every moment of the flash.
	if r := in.Do(t, "POST", "/api/v1/backoffice/booths/4/call-next", desk, nil); r.Status != 200 {
		t.Fatalf("call-next: %d %s", r.Status, r.Body)
	}
	waitJS(t, ctx, `document.getElementById("tv-number").textContent`, "A001", 3*time.Second)
	waitJS(t, ctx, `document.getElementById("tv").dataset.chimes`, "1", 3*time.Second)
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](sampleFlashJS))
	if err != nil {
		t.Fatal(err)
	}
	var samples []struct {
		T                 float64
		Number, Booth, Bg string
	}
	if err := json.Unmarshal([]byte(raw), &samples); err != nil || len(samples) < 100 {
		t.Fatalf("flash samples: %d (%v) %s", len(samples), err, raw)
	}
	worst, backgrounds := 99.0, map[string]bool{}
	for _, s := range samples {
		bg := parseRGB(t, s.Bg)
		backgrounds[s.Bg] = true
		for _, fg := range []string{s.Number, s.Booth} {
			if r := contrast(parseRGB(t, fg), bg); r < worst {
				worst = r
			}
			if r := contrast(parseRGB(t, fg), bg); r < 4.5 {
				t.Errorf("at %.0f ms of the flash: text %s on %s is %.2f:1", s.T, fg, s.Bg, r)
			}
		}
	}
	if len(backgrounds) < 5 {
		t.Errorf("the flash sampled only %d backgrounds: the animation was not measured", len(backgrounds))
	}
	t.Logf("call flash: %d samples over %.0f ms, lowest contrast %.2f:1", len(samples), samples[len(samples)-1].T, worst)
	waitJS(t, ctx, `document.querySelector('#tv-waiting li[data-service="new"] .tv-next-list').textContent`, "A002 8 mnt A003 16 mnt", 5*time.Second) // A001 at the booth: A002 when its turn is up

	// The ticker moves at the same speed, short line or long.
	super := in.OfficerToken(t, "JKS", "jks.super", "supervisor")
	speed := func(text string) (pxPerS, seconds float64) {
		in.Do(t, "PUT", "/api/v1/backoffice/running-text", super, map[string]string{"text": text})
		waitJS(t, ctx, fmt.Sprintf(`String(document.getElementById("tv-ticker").textContent.endsWith(%q))`, text), "true", 3*time.Second)
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const s = document.getElementById("tv-ticker");
			return [s.offsetWidth, parseFloat(getComputedStyle(s).animationDuration)]; })()`))
		if err != nil {
			t.Fatal(err)
		}
		return v[0] / v[1], v[1]
	}
	shortSpeed, shortDur := speed("Selamat datang")
	longSpeed, longDur := speed(strings.TrimSpace(strings.Repeat("Paspor elektronik di loket 1 sampai 6. ", 7)))
	if shortSpeed < 80 || shortSpeed > 120 || math.Abs(longSpeed-shortSpeed) > 2 || longDur < shortDur*1.5 {
		t.Errorf("ticker: short line %.1f px/s over %.1f s, long line %.1f px/s over %.1f s; want one speed in 80–120 px/s", shortSpeed, shortDur, longSpeed, longDur)
	}

	// The devices page shows the TV connected, at the office's time.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(in.URL+"/backoffice/devices"), chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "jks.admin"), chromedp.SendKeys("#password", "correct-horse-battery"), chromedp.Submit("#password"),
		chromedp.WaitVisible("#devices-table")); err != nil {
		t.Fatal(err)
	}
	row, _ := chromedp.Run(ctx, chromedp.Text(`tr[data-device="TV Lobi"]`))
	if !strings.Contains(row, "Terhubung") || !strings.Contains(row, "02-03-2026 09:00 WIB") {
		t.Errorf("TV row on the devices page: %q", row)
	}
	browsertest.AssertNoAxeViolations(t, ctx)

	// Revoked, the TV's page is a public view again and its heartbeat is refused.
	if r := in.Do(t, "POST", "/api/v1/backoffice/devices/"+c.Device.ID.String()+"/revoke", admin, nil); r.Status != 200 {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(in.URL+"/tv/JKS"), chromedp.WaitVisible("#tv-number")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `String(document.getElementById("tv-sound").hidden) + " " + document.getElementById("tv").dataset.enrolled`, "false false", 3*time.Second)
	hb, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`fetch("/tv/heartbeat", {method: "POST"}).then(r => r.status)`, chromedp.EvalAwaitPromise))
	if hb != 401 {
		t.Errorf("revoked TV's heartbeat: %v", hb)
	}
}

// The kiosk enrolled with a code on its setup screen; fits 1280×1024 and
// 1080×1920 without scrolling; the keypad types the booking code and NIK;
// the ticket prints on 80 mm; an idle kiosk returns to its start.
func TestKioskScreensInBrowser(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday), Configure: func(c *config.Config) { c.KioskIdleSeconds = 45 }})
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 10, 2)
	code := in.Book(t, "JKS", "2026-03-02", "renewal", "3273056010900009")
	admin := in.OfficerToken(t, "JKS", "jks.admin", "admin")
	c := createDevice(t, in, admin, "kiosk", "Kios Lobi")

	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1024), chromedp.Navigate(in.URL+"/kiosk"), chromedp.WaitVisible("#enrol-code")); err != nil {
		t.Fatal(err)
	}
	if body, _ := chromedp.Run(ctx, chromedp.Text("main")); strings.Contains(body, "sppt device") {
		t.Errorf("setup screen shows an operator command: %q", body)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys("#enrol-code", "ZZZZ-ZZZZ"), chromedp.Submit("#enrol-code"), chromedp.WaitVisible("#setup-error")); err != nil {
		t.Fatal(err)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Clear("#enrol-code"), chromedp.SendKeys("#enrol-code", c.Code), chromedp.Submit("#enrol-code"),
		chromedp.WaitVisible("#keypad")); err != nil {
		t.Fatal(err)
	}
	fits := `(() => { const s = document.scrollingElement; return s.scrollHeight <= innerHeight && s.scrollWidth <= innerWidth; })()`
	for _, size := range [][2]int64{{1280, 1024}, {1080, 1920}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1]), chromedp.Reload(), chromedp.WaitVisible("#keypad")); err != nil {
			t.Fatal(err)
		}
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fits))
		if err != nil || !ok {
			dims, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[document.scrollingElement.scrollWidth, document.scrollingElement.scrollHeight].join("×")`))
			t.Errorf("kiosk at %d×%d scrolls (content %s)", size[0], size[1], dims)
		}
		browsertest.AssertNoAxeViolations(t, ctx)
	}
	// An idle kiosk forgets what was typed: KIOSK_IDLE_SECONDS reaches the
	// page, and (shortened in the page to keep the test quick) it starts over.
	if idle, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("kiosk").dataset.idle`)); idle != "45" {
		t.Fatalf("idle time on the page %q, want the configured 45", idle)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("kiosk").dataset.idle = "2"`),
		chromedp.SendKeys("#booking_code", "HALF")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.getElementById("booking_code") ? document.getElementById("booking_code").value : "gone"`, "", 8*time.Second)

	// The keypad types the booking code, then (letters step aside) the NIK.
	tap := func(sel string, keys string) {
		t.Helper()
		acts := []chromedp.Action[chromedp.Void]{chromedp.Click(sel)}
		for _, k := range keys {
			acts = append(acts, chromedp.Click(fmt.Sprintf(`#keypad [data-key="%c"]`, k)))
		}
		if err := chromedp.Do(ctx, acts...); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1024), chromedp.Reload(), chromedp.WaitVisible("#keypad")); err != nil {
		t.Fatal(err)
	}
	tap("#booking_code", code+"X")
	if err := chromedp.Do(ctx, chromedp.Click(`#keypad [data-key="back"]`)); err != nil {
		t.Fatal(err)
	}
	tap("#nik", "3273056010900009")
	mode, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("keypad").dataset.mode + " " + document.getElementById("booking_code").value`))
	if mode != "digits "+code {
		t.Fatalf("keypad: %q", mode)
	}
	if err := chromedp.Do(ctx, chromedp.Click("#checkin-submit"), chromedp.WaitVisible("#ticket-number")); err != nil {
		t.Fatal(err)
	}
	ticket, _ := chromedp.Run(ctx, chromedp.Text("#ticket"))
	for _, want := range []string{"B001", "Penggantian", "JKS", "JKS-20260302-B001", "09:00 WIB"} {
		if !strings.Contains(ticket, want) {
			t.Errorf("ticket lacks %q: %q", want, ticket)
		}
	}
	page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.styleSheets].flatMap(s => [...s.cssRules]).flatMap(r => r instanceof CSSMediaRule ? [...r.cssRules] : [r])
		.filter(r => r instanceof CSSPageRule).map(r => r.cssText).join(",")`))
	if !strings.Contains(page, "80mm") {
		dbg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.styleSheets].map(s => s.href + ":" + s.cssRules.length + ":" + [...s.cssRules].filter(r => r.type === 6).map(r => r.cssText)).join(" ")`))
		t.Errorf("no 80 mm @page rule for the ticket: %q (%s)", page, dbg)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	// Left on the ticket, the kiosk returns to its start.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("kiosk").dataset.idle = "2"; document.dispatchEvent(new Event("input"))`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `String(!!document.getElementById("keypad"))`, "true", 8*time.Second)
}
