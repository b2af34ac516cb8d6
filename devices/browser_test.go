package devices_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// waitJS polls a JavaScript expression until it returns want.
func waitJS(t *testing.T, ctx context.Context, expr, want string, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	var got string
	for time.Since(start) < within {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatal(err)
		}
		if got = v; got == want {
			return time.Since(start)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s = %q after %v, want %q", expr, got, within, want)
	return 0
}

// The TV page on one instance shows a number called through the API on the
// other instance within a second.
func TestTVShowsCallFromOtherInstance(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(apptest.Monday)
	dbURL := apptest.DB(t)
	in1 := apptest.Start(t, dbURL, apptest.Options{Clock: clk})
	in2 := apptest.Start(t, dbURL, apptest.Options{Clock: clk})
	in1.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 10, 2)
	if err := in1.App.Queue.SetBooth(context.Background(), "JKS", queue.Booth{Number: 4, Services: civil.OSSBoothServices}, "test"); err != nil {
		t.Fatal(err)
	}
	for _, svc := range []string{"renewal", "new"} {
		if _, err := in1.App.Queue.Walkin(context.Background(), "JKS", svc, "test"); err != nil {
			t.Fatal(err)
		}
	}
	desk := in2.OfficerToken(t, "JKS", "jks.desk", "desk")

	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(in1.URL+"/tv/JKS")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.getElementById("tv-status").textContent`, "Tersambung", 5*time.Second)
	waitJS(t, ctx, `document.querySelector('#tv-waiting li[data-service="renewal"] strong').textContent`, "1", time.Second)
	browsertest.AssertNoAxeViolations(t, ctx)

	start := time.Now()
	if r := in2.Do(t, "POST", "/api/v1/backoffice/booths/4/call-next", desk, nil); r.Status != 200 || !strings.Contains(string(r.Body), "B001") {
		t.Fatalf("call-next on the other instance: %d %s", r.Status, r.Body)
	}
	waitJS(t, ctx, `document.getElementById("tv-number").textContent`, "B001", time.Second)
	t.Logf("TV showed B001 %v after the call", time.Since(start))
	waitJS(t, ctx, `document.getElementById("tv-booth").textContent`, "Loket 4", time.Second)
	waitJS(t, ctx, `document.querySelector('#tv-waiting li[data-service="renewal"] strong').textContent`, "0", time.Second)

	// The office's own message reaches the running text.
	super := in2.OfficerToken(t, "JKS", "jks.super", "supervisor")
	in2.Do(t, "PUT", "/api/v1/backoffice/running-text", super, map[string]string{"text": "Layanan prioritas di loket 4"})
	waitJS(t, ctx, `String(document.getElementById("tv-ticker").textContent.includes("Layanan prioritas di loket 4"))`, "true", time.Second)
	// A second call follows, the first moves to the last calls.
	in2.Do(t, "POST", "/api/v1/backoffice/booths/4/call-next", desk, nil)
	waitJS(t, ctx, `document.getElementById("tv-number").textContent`, "A001", time.Second)
	waitJS(t, ctx, `document.querySelector("#tv-last td").textContent`, "B001", time.Second)
}

// The kiosk journey: set up with the device token, a wrong NIK is refused,
// the right one prints a ticket.
func TestKioskJourneyInBrowser(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 10, 2)
	kioskCode := in.Book(t, "JKS", "2026-03-02", "renewal", "3273056010900009")
	tok := in.DeviceToken(t, "JKS", "kiosk", "Kiosk Lobi")

	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(in.URL+"/kiosk"),
		chromedp.WaitVisible("#enrol-code"),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys("#enrol-code", tok),
		chromedp.Submit("#enrol-code"),
		chromedp.WaitVisible("#booking_code"),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	checkin := func(code, nik string) error {
		return chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](`document.getElementById("booking_code").value = ""; document.getElementById("nik").value = ""`),
			chromedp.SendKeys("#booking_code", code),
			chromedp.SendKeys("#nik", nik),
			chromedp.Click("#checkin-submit"),
		)
	}
	if err := checkin(kioskCode, "3273056010900099"); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible("#kiosk-error")); err != nil {
		t.Fatal(err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text("#kiosk-error"))
	if err != nil || !strings.Contains(msg, "NIK tidak sesuai") {
		t.Fatalf("wrong NIK message %q (%v)", msg, err)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	if err := checkin(kioskCode, "3273056010900009"); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible("#ticket-number")); err != nil {
		t.Fatal(err)
	}
	number, _ := chromedp.Run(ctx, chromedp.Text("#ticket-number"))
	service, _ := chromedp.Run(ctx, chromedp.Text("#ticket-service"))
	qr, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".kiosk-ticket img").src.slice(0, 22)`))
	if number != "B001" || !strings.Contains(service, "Penggantian") || qr != "data:image/png;base64," {
		t.Fatalf("ticket %q service %q qr %q", number, service, qr)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	// A walk-in from the same kiosk.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(in.URL+"/kiosk"),
		chromedp.Click(`button[value="priority"]`),
		chromedp.WaitVisible("#ticket-number"),
	); err != nil {
		t.Fatal(err)
	}
	number, _ = chromedp.Run(ctx, chromedp.Text("#ticket-number"))
	if number != "D001" {
		t.Fatalf("priority walk-in ticket %q", number)
	}
	_ = fmt.Sprint
}

// Officer pages in Chromium: sign in, call from the booth screen, list the
// office's devices; each page passes axe.
func TestOfficerPagesInBrowser(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 10, 2)
	if err := in.App.Queue.SetBooth(context.Background(), "JKS", queue.Booth{Number: 1, Name: "Loket 1", Services: civil.OSSBoothServices}, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := in.App.Queue.Walkin(context.Background(), "JKS", "new", "test"); err != nil {
		t.Fatal(err)
	}
	in.DeviceToken(t, "JKS", "display", "TV Lobi")
	in.OfficerToken(t, "JKS", "jks.super", "supervisor")

	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(in.URL+"/backoffice/queue?booth=1"),
		chromedp.WaitVisible("#username"),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys("#username", "jks.super"),
		chromedp.SendKeys("#password", "correct-horse-battery"),
		chromedp.Submit("#password"),
		chromedp.WaitVisible("#call-next"),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click("#call-next")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `(document.getElementById("booth-current") || {}).textContent || ""`, "A001", 3*time.Second)
	browsertest.AssertNoAxeViolations(t, ctx)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(in.URL+"/backoffice/devices"),
		chromedp.WaitVisible("table"),
	); err != nil {
		t.Fatal(err)
	}
	text, _ := chromedp.Run(ctx, chromedp.Text("table"))
	if !strings.Contains(text, "TV Lobi") || !strings.Contains(text, "Belum pernah terhubung") {
		t.Fatalf("device table: %q", text)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
}
