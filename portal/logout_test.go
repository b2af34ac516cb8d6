package portal_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
)

// post does one request as a browser would, without following redirects,
// and returns every Set-Cookie line joined.
func post(t *testing.T, method, u, cookie string, form url.Values) (int, string, string) {
	t.Helper()
	st, h, body := apptest.Page(t, method, u, cookie, form)
	return st, strings.Join(h.Values("Set-Cookie"), "\n"), body
}

// endsSession reports whether the Set-Cookie lines clear the session cookie.
func endsSession(cookies string) bool {
	for _, line := range strings.Split(cookies, "\n") {
		if strings.HasPrefix(line, "sppt_session=;") || strings.HasPrefix(line, "sppt_session=\"\";") {
			return true
		}
	}
	return false
}

// Signing out takes the form's CSRF token like every other citizen form: a
// post without it (another site's form: the SameSite=Strict token cookie
// stays home) or with a wrong one is refused with 403, in the page's
// language, and the citizen stays signed in; with it the session ends.
func TestLogoutNeedsTheCSRFToken(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))})
	u := in.URL
	session := "sppt_session=" + in.CitizenToken(t, "+6281200000009")

	// The layout's sign-out button carries the browser's token.
	st, cookies, body := post(t, "GET", u+"/bookings", session, nil)
	csrf := apptest.Between(apptest.Between(body, `<form method="post" action="/logout">`, `</form>`), `name="_csrf" value="`, `"`)
	if st != 200 || csrf == "" || csrf != apptest.Between(cookies, "sppt_csrf=", ";") {
		t.Fatalf("bookings page %d: sign-out token %q, cookie %q", st, csrf, apptest.Between(cookies, "sppt_csrf=", ";"))
	}
	withToken := session + "; sppt_csrf=" + csrf

	refused := []struct {
		name, cookie, lang, want string
		form                     url.Values
	}{
		{"another site's form", session, "", "Anda belum keluar dan masih masuk", url.Values{}},
		{"a wrong token", withToken, "en", "You have not been signed out, and you are still signed in", url.Values{"_csrf": {"x" + csrf[1:]}}},
		{"a token without its cookie", session + "; lang=en", "en", "You have not been signed out", url.Values{"_csrf": {csrf}}},
	}
	for _, c := range refused {
		cookie := c.cookie
		if c.lang != "" && !strings.Contains(cookie, "lang=") {
			cookie += "; lang=" + c.lang
		}
		st, cookies, body := post(t, "POST", u+"/logout", cookie, c.form)
		if st != http.StatusForbidden || endsSession(cookies) {
			t.Fatalf("%s: %d, session ended %v", c.name, st, endsSession(cookies))
		}
		if !strings.Contains(body, c.want) || !strings.Contains(body, `role="alert"`) {
			t.Errorf("%s: the 403 page does not say %q", c.name, c.want)
		}
		// The page offers the form again, with a token that works.
		again := apptest.Between(apptest.Between(body, `<section`, `</section>`), `name="_csrf" value="`, `"`)
		if again == "" {
			t.Errorf("%s: no sign-out form on the 403 page", c.name)
		}
		// Still signed in: the pages behind sign-in open.
		if st, _, body := post(t, "GET", u+"/bookings", session, nil); st != 200 || !strings.Contains(body, `action="/logout"`) {
			t.Fatalf("after %s: /bookings %d", c.name, st)
		}
	}

	// A link cannot sign out either: GET only asks.
	if st, cookies, body := post(t, "GET", u+"/logout", withToken, nil); st != 200 || endsSession(cookies) || !strings.Contains(body, "Keluar dari perangkat ini?") {
		t.Fatalf("GET /logout: %d, session ended %v", st, endsSession(cookies))
	}

	st, cookies, _ = post(t, "POST", u+"/logout", withToken, url.Values{"_csrf": {csrf}})
	if st != http.StatusSeeOther || !endsSession(cookies) {
		t.Fatalf("sign out with the token: %d, session ended %v\n%s", st, endsSession(cookies), cookies)
	}
	// Signed out already: nothing to protect, the form just goes home.
	if st, _, _ := post(t, "POST", u+"/logout", "", url.Values{}); st != http.StatusSeeOther {
		t.Errorf("signed-out post: %d", st)
	}
	if st, _, _ := post(t, "GET", u+"/logout", "", nil); st != http.StatusSeeOther {
		t.Errorf("signed-out GET /logout: %d", st)
	}
}
