package portal_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/internal/clock"
)

type scrSize struct {
	name   string
	w, h   int64
	mobile bool
}

var scrSizes = []scrSize{{"phone", 390, 844, true}, {"desktop", 1280, 900, false}}

// scrTab is one Chromium tab of a screens test.
type scrTab struct {
	t   *testing.T
	ctx context.Context
}

func (b scrTab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browsertest.StepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		_ = browsertest.Screenshot(b.ctx, "/tmp/screens-portal-fail.png")
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b scrTab) size(s scrSize) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: s.w, Height: s.h, DeviceScaleFactor: 1, Mobile: s.mobile}); err != nil {
		b.t.Fatal(err)
	}
}

func (b scrTab) scripts(on bool) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		b.t.Fatal(err)
	}
}

func (b scrTab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(sel))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (b scrTab) eval(js string) bool {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// layout is where the header's parts are, read with page scripts switched on
// for the measurement only (the page's own scripts never ran).
type scrLayout struct {
	Toggle   bool    `json:"toggle"`   // the Menu button is shown
	Link     bool    `json:"link"`     // the "Cek status" link is shown
	OneRow   bool    `json:"oneRow"`   // brand and Menu side by side
	Header   float64 `json:"header"`   // the header's height
	Overflow bool    `json:"overflow"` // the page is wider than the screen
}

const scrLayoutJS = `(() => {
  const shown = e => !!e && e.checkVisibility({visibilityProperty: true});
  const t = document.querySelector(".nav-toggle"), b = document.querySelector(".brand");
  const tr = t.getBoundingClientRect(), br = b.getBoundingClientRect();
  return {toggle: shown(t), link: shown(document.querySelector('.site-nav a[href="/status"]')),
    oneRow: !shown(t) || (tr.top < br.bottom && br.top < tr.bottom),
    header: document.querySelector(".site-header").getBoundingClientRect().height,
    overflow: document.documentElement.scrollWidth > window.innerWidth};
})()`

var scrShots int

func (b scrTab) layout() scrLayout {
	b.t.Helper()
	if dir := os.Getenv("SPPT_SCREENSHOTS"); dir != "" { // to look at the pages while working on them
		scrShots++
		_ = browsertest.Screenshot(b.ctx, filepath.Join(dir, fmt.Sprintf("%s-%02d.png", strings.ReplaceAll(b.t.Name(), "/", "_"), scrShots)))
	}
	b.scripts(true)
	defer b.scripts(false)
	l, err := chromedp.Run(b.ctx, chromedp.Evaluate[scrLayout](scrLayoutJS))
	if err != nil {
		b.t.Fatal(err)
	}
	return l
}

func (b scrTab) axe() {
	b.t.Helper()
	b.scripts(true)
	defer b.scripts(false)
	browsertest.AssertNoAxeViolations(b.t, b.ctx)
}

// The citizen's pages at a phone's and a desktop's width, with page scripts
// off: the header is one row with a menu on the phone, the confirmation
// shows hours, documents and fees, the date choice fits the screen, and
// after check-in the booking page shows the ticket and the application
// number and offers no change. axe finds nothing on any of them.
func TestScreensCitizenPagesBrowser(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	in.OpenDay(t, "JKS", "2026-03-04", 10, 5)
	tok := in.CitizenToken(t, "+6281200004001")
	nik := apptest.NIK("1990-10-20", true, 41)
	code := book(t, in, tok, "JKS", "2026-03-04", "renewal", nik, "1990-10-20", "F")

	b := scrTab{t: t, ctx: browsertest.New(t)}
	if _, err := chromedp.Call(b.ctx, network.SetCookie, network.SetCookieParams{Name: "sppt_session", Value: tok, URL: in.URL}); err != nil {
		t.Fatal(err)
	}
	b.scripts(false)
	u := in.URL
	for _, s := range scrSizes {
		t.Run(s.name+"/before_checkin", func(t *testing.T) {
			b := scrTab{t: t, ctx: b.ctx}
			b.size(s)
			b.do("home", chromedp.Navigate(u+"/"), chromedp.WaitVisible("#office-q"))
			l := b.layout()
			if l.Overflow {
				t.Errorf("home is wider than the screen")
			}
			if s.mobile {
				if !l.Toggle || l.Link || !l.OneRow || l.Header > 100 {
					t.Errorf("phone header: %+v, want one row (≤100 px) with the links behind Menu", l)
				}
				b.do("open the menu", chromedp.Click(".nav-toggle"), chromedp.WaitVisible(`.site-nav a[href="/status"]`))
				if l := b.layout(); !l.Link {
					t.Errorf("menu opened without JS shows no links")
				}
			} else if l.Toggle || !l.Link {
				t.Errorf("desktop header: %+v, want the links inline and no Menu button", l)
			}
			b.axe()

			b.do("office calendar", chromedp.Navigate(u+"/offices/JKS"), chromedp.WaitVisible(".calendar"))
			b.axe()

			b.do("confirmation", chromedp.Navigate(u+"/bookings/"+code), chromedp.WaitVisible("#docs"))
			if got := b.text("#office-hours"); !strings.Contains(got, "08:00–16:00") {
				t.Errorf("opening hours: %q", got)
			}
			if got := b.text("#docs"); !strings.Contains(got, "Paspor lama") {
				t.Errorf("renewal checklist lacks the old passport: %q", got)
			}
			if got := b.text("#fees"); !strings.Contains(got, "Rp350.000") || !strings.Contains(got, "Rp950.000") {
				t.Errorf("fees: %q", got)
			}
			if l := b.layout(); l.Overflow {
				t.Errorf("confirmation is wider than the screen")
			}
			b.axe()

			b.do("booking form", chromedp.Navigate(u+"/book?office=JKS&date=2026-03-04"), chromedp.WaitVisible("#date"))
			b.scripts(true)
			fits := b.eval(`document.querySelector("#date").getBoundingClientRect().right <= window.innerWidth &&
				document.documentElement.scrollWidth <= window.innerWidth && document.querySelector("#birth_date").type === "date"`)
			b.scripts(false)
			if !fits {
				t.Errorf("the date choice is cut off (or the birth date is no date input)")
			}
			b.axe()
		})
	}

	// The applicant checks in at the kiosk on the day.
	clk.Set(time.Date(2026, 3, 4, 1, 30, 0, 0, time.UTC))
	ticket, err := in.App.Queue.CheckIn(context.Background(), "JKS", code, nik, "test")
	if err != nil {
		t.Fatal(err)
	}
	tok = in.CitizenToken(t, "+6281200004001") // signed in again on the day
	if _, err := chromedp.Call(b.ctx, network.SetCookie, network.SetCookieParams{Name: "sppt_session", Value: tok, URL: in.URL}); err != nil {
		t.Fatal(err)
	}
	for _, s := range scrSizes {
		t.Run(s.name+"/after_checkin", func(t *testing.T) {
			b := scrTab{t: t, ctx: b.ctx}
			b.size(s)
			b.do("booking after check-in", chromedp.Navigate(u+"/bookings/"+code), chromedp.WaitVisible("#ticket-number"))
			if got := b.text("#ticket-number"); got != ticket.Number {
				t.Errorf("ticket shown %q, want %q", got, ticket.Number)
			}
			if got := b.text("#application-no"); got != ticket.ApplicationNo {
				t.Errorf("application number shown %q, want %q", got, ticket.ApplicationNo)
			}
			main := b.text("main")
			if strings.Contains(main, "Booking berhasil") || strings.Contains(main, "pindai kode QR") {
				t.Errorf("after check-in the page still says booked / scan the QR code: %q", main)
			}
			nodes, err := chromedp.Run(b.ctx, chromedp.Nodes(`main a[href$="/reschedule"], main a[href$="/cancel"], main img[src$="qr.png"]`, chromedp.AtLeast(0)))
			if err != nil || len(nodes) != 0 {
				t.Errorf("after check-in: %d reschedule/cancel/QR elements (%v)", len(nodes), err)
			}
			if !strings.Contains(b.text(`main a[href="/status"]`), ticket.ApplicationNo) {
				t.Errorf("no link to the application's status")
			}
			b.axe()
			b.do("status page", chromedp.Navigate(u+"/status"), chromedp.WaitVisible("#application_no"))
			b.axe()
			b.do("my bookings", chromedp.Navigate(u+"/bookings"), chromedp.WaitVisible(`a[href="/bookings/`+code+`"]`))
			b.axe()
		})
	}
}
