package backoffice_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/backoffice/network"
	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/internal/clock"
)

// Every administration page in a real browser, each checked with axe: the
// officers list, adding an officer, an officer's page and its reset, the
// forced password change, a device's page, the national view, a drill-down
// and the national admin's office picker.
func TestAdminPagesInBrowser(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(monday)})
	in.OfficerToken(t, "JKS", "jks.badm", "admin")
	in.ScopeToken(t, "national.badm", "", "national_admin")
	in.DeviceToken(t, "JKS", "kiosk", "Kios Lobi")
	ctx := browsertest.New(t)
	login := func(user, pw string) {
		do(t, ctx, user, chromedp.Navigate(in.URL+"/backoffice/login"), chromedp.WaitVisible("#username"),
			chromedp.SendKeys("#username", user), chromedp.SendKeys("#password", pw), chromedp.Submit("#password"),
			chromedp.WaitVisible("#officer-who"))
	}
	logout := func() {
		do(t, ctx, "sign out", chromedp.Click(`nav.officer-nav form[action="/backoffice/logout"] button`), chromedp.WaitVisible("#username"))
	}

	login("jks.badm", "correct-horse-battery")
	do(t, ctx, "officers", chromedp.Navigate(in.URL+officer.ListPath), chromedp.WaitVisible("#add-officer"))
	browsertest.AssertNoAxeViolations(t, ctx)
	// Submitted without roles: the field is named.
	do(t, ctx, "add without roles", chromedp.SendKeys("#username", "jks.rina"), chromedp.Click("#add-officer"), chromedp.WaitVisible("#roles-error"))
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "add", chromedp.Click("#role-cashier"), chromedp.Click("#add-officer"), chromedp.WaitVisible("#temp-password"))
	temp := js(t, ctx, `document.getElementById("temp-password").textContent`)
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "officer page", chromedp.Click(`tr[data-officer="jks.rina"] a`), chromedp.WaitVisible("#save-roles"))
	browsertest.AssertNoAxeViolations(t, ctx)
	js(t, ctx, `document.querySelector('form[action$="/reset"]').submit(), ""`)
	do(t, ctx, "reset", chromedp.WaitVisible("#officer-reset"))
	temp = js(t, ctx, `document.getElementById("temp-password").textContent`)
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "devices", chromedp.Navigate(in.URL+"/backoffice/devices"), chromedp.Click(`tr[data-device="Kios Lobi"] a`), chromedp.WaitVisible("#rename-device"))
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "rename", chromedp.SetValue("#name", "Kios Pintu Utama"), chromedp.Click("#rename-device"), chromedp.WaitVisible("#device-saved"))
	if h1 := js(t, ctx, `document.querySelector("h1").textContent`); h1 != "Kios Pintu Utama" {
		t.Errorf("renamed device's page says %q", h1)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	logout()

	// The new officer: first a new password, then their work page.
	login("jks.rina", temp)
	if got := js(t, ctx, `location.pathname`); got != officer.PasswordPath {
		t.Fatalf("temporary password lands on %s", got)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "new password", chromedp.SendKeys("#password", "kopi-tubruk-pagi"), chromedp.SendKeys("#password_again", "kopi-tubruk-pagi"),
		chromedp.Click("#password-submit"), chromedp.WaitVisible("#officer-who"))
	if got := js(t, ctx, `location.pathname`); got != "/backoffice/work/billing" {
		t.Errorf("after the change the cashier lands on %s", got)
	}
	logout()

	login("national.badm", "correct-horse-battery")
	if got := js(t, ctx, `location.pathname`); got != network.Path {
		t.Errorf("national admin lands on %s", got)
	}
	if n := js(t, ctx, `String(document.querySelectorAll("#network-offices tbody tr").length)`); n != "11" {
		t.Errorf("national view lists %s offices", n)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "drill-down", chromedp.Click(`tr[data-office="DPS"] a`), chromedp.WaitVisible("#office-figures"))
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "office picker", chromedp.Navigate(in.URL+officer.ListPath), chromedp.WaitVisible("#office-show"))
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "pick JKS", chromedp.SetValue("#office", "JKS"), chromedp.Click("#office-show"), chromedp.WaitVisible("#officers"))
	if body := js(t, ctx, `document.getElementById("officers").textContent`); !strings.Contains(body, "jks.rina") {
		t.Errorf("JKS officers for the national admin: %q", body)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
}
