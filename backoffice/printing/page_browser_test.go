package printing_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/internal/clock"
)

// The office head's blanks page accounts for every serial by type and
// state and alerts when a type runs out; the portal's calendar says so on
// the days it affects. The page passes axe.
func TestBlanksPageAndPortalOutlook(t *testing.T) {
	t.Parallel()
	monday := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(monday)})
	ctx := context.Background()
	l := in.App.Ledger
	if _, err := l.Receive(ctx, "JKS", "ordinary_48", "A0000001", 40, "test", monday); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Receive(ctx, "JKS", "electronic_48", "E0000001", 2, "test", monday); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"E0000001", "E0000002"} { // every e-passport blank damaged in the vault
		if err := l.Spoil(ctx, "JKS", s, "water damage", "test", monday); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := officer.AddOfficer(ctx, in.Pool, officer.NewOfficer{Username: "jks.head", Password: "correct-horse-battery",
		Office: "JKS", Roles: []string{"validator"}}, "test", monday); err != nil {
		t.Fatal(err)
	}

	// The portal's calendar: e-passport blanks are out on every day shown.
	in.OpenDay(t, "JKS", "2026-03-04", 5, 5)
	_, _, body := apptest.Page(t, "GET", in.URL+"/offices/JKS", "", nil)
	if !strings.Contains(body, "Blangko habis") || !strings.Contains(body, "Blangko Paspor elektronik 48 halaman diperkirakan habis") {
		t.Fatalf("the calendar does not say the e-passport blanks are out: %.3000s", apptest.Between(body, "<ol", "</ol>"))
	}

	b := browsertest.New(t)
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		tctx, cancel := context.WithTimeout(b, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(tctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	run("sign in", chromedp.Navigate(in.URL+"/backoffice/login"), chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "jks.head"), chromedp.SendKeys("#password", "correct-horse-battery"),
		chromedp.Submit("#password"), chromedp.WaitVisible("#officer-who"))
	run("blanks page", chromedp.Navigate(in.URL+"/backoffice/blanks"), chromedp.WaitVisible("#blanks-ledger"))
	text := func(expr string) string {
		v, err := chromedp.Run(b, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cells := func(typ string) string {
		return text(`Array.from(document.querySelectorAll('#blanks-ledger tr[data-type="` + typ + `"] td')).slice(0, 8).map(c => c.textContent).join(" ")`)
	}
	// received, in stock, assigned, printed, spoiled, issued, returned, unaccounted
	if got := cells("ordinary_48"); got != "40 40 0 0 0 0 0 0" {
		t.Errorf("ordinary_48 row: %q", got)
	}
	if got := cells("electronic_48"); got != "2 0 0 0 2 0 0 0" {
		t.Errorf("electronic_48 row: %q", got)
	}
	if got := cells("total"); got != "42 40 0 0 2 0 0 0" {
		t.Errorf("total row: %q", got)
	}
	if alert := text(`document.querySelector('[role=alert][data-level]')?.textContent || ""`); !strings.Contains(alert, "Stok Paspor elektronik 48 halaman habis") {
		t.Errorf("no out-of-stock alert: %q", alert)
	}
	if menu := text(`document.querySelector('nav.officer-nav a[aria-current="page"]')?.getAttribute("href") || ""`); menu != "/backoffice/blanks" {
		t.Errorf("menu does not mark the blanks page: %q", menu)
	}
	browsertest.AssertNoAxeViolations(t, b)
}
