package browsertest

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
)

// The officers' sign-in page and what marks a signed-in page: the form's
// fields, and the header's "who is signed in" that every officer page has.
const (
	OfficerLoginPath = "/backoffice/login"
	officerWho       = "#officer-who"
	officerLogout    = `nav.officer-nav form[action="/backoffice/logout"] button`
)

// Step runs steps on ctx within StepTimeout and fails the test when one
// fails, naming what, with the address and the text of the page it stopped
// on (what a person looking at the screen would have seen).
func Step(t testing.TB, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		lctx, lcancel := context.WithTimeout(ctx, StepTimeout)
		defer lcancel()
		loc, _ := chromedp.Run(lctx, chromedp.Location())
		body, _ := chromedp.Run(lctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		t.Fatalf("%s: %v on %s: %.1500s", what, err, loc, body)
	}
}

// SignIn signs an officer in through the sign-in page of the server at
// base, as a person would: types the username and password, submits, and
// waits for an officer page (the one the role lands on).
func SignIn(t testing.TB, ctx context.Context, base, username, password string) {
	t.Helper()
	Step(t, ctx, "sign in "+username, chromedp.Navigate(base+OfficerLoginPath), chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", username), chromedp.SendKeys("#password", password), chromedp.Submit("#password"),
		chromedp.WaitVisible(officerWho))
}

// SignOut signs the officer out with the menu's button and waits for the
// sign-in page.
func SignOut(t testing.TB, ctx context.Context) {
	t.Helper()
	Step(t, ctx, "sign out", chromedp.Click(officerLogout), chromedp.WaitVisible("#username"))
}
