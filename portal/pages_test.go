package portal_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
)

func TestPortalPages(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	in.OpenDay(t, "JKS", "2026-03-02", 7, 4)
	in.OpenDay(t, "JKS", "2026-03-04", 3, 4)
	u := in.URL

	// Home shows today's real remaining seats.
	if st, _, body := apptest.Page(t, "GET", u+"/", "", nil); st != 200 || !strings.Contains(body, "Online: 7 tersisa") || !strings.Contains(body, "Datang langsung: 4 tersisa") {
		t.Fatalf("home: %d, no remaining seats for JKS", st)
	}
	// The calendar says why a day is closed, in both languages.
	_, _, body := apptest.Page(t, "GET", u+"/offices/JKS", "", nil)
	for _, want := range []string{"Rabu, 4 Maret 2026: 3 kursi online tersisa", "Sabtu, 7 Maret 2026: Akhir pekan, kantor tutup", `href="/book?office=JKS&amp;date=2026-03-04"`} {
		if !strings.Contains(body, want) {
			t.Errorf("calendar lacks %q", want)
		}
	}
	// Every day the window can open is shown: today through today + 30, the
	// day released last (whose draw may be running) included.
	if !strings.Contains(body, "Rabu, 1 April 2026") || strings.Contains(body, "2 April 2026") {
		t.Errorf("calendar should end on the window's last day, 1 April 2026")
	}
	if _, _, body := apptest.Page(t, "GET", u+"/offices/JKS?lang=en", "", nil); !strings.Contains(body, "Wednesday, 4 March 2026: 3 online seats left") {
		t.Errorf("English calendar")
	}
	if st, _, _ := apptest.Page(t, "GET", u+"/offices/XYZ", "", nil); st != 404 {
		t.Errorf("unknown office page: %d", st)
	}

	// Signed-out visitors are sent to sign in, and back.
	st, h, _ := apptest.Page(t, "GET", u+"/book?office=JKS&date=2026-03-04", "", nil)
	if st != 303 || h.Get("Location") != "/login?next="+url.QueryEscape("/book?office=JKS&date=2026-03-04") {
		t.Fatalf("book signed out: %d %q", st, h.Get("Location"))
	}
	if st, h, _ := apptest.Page(t, "GET", u+"/login?next=https://evil.example/", "", nil); st != 200 || strings.Contains(h.Get("Set-Cookie"), "evil") {
		t.Fatalf("login page: %d", st)
	}

	// Forms need the CSRF token.
	alice := "sppt_session=" + in.CitizenToken(t, "+6281200000001")
	_, h, formPage := apptest.Page(t, "GET", u+"/book?office=JKS&date=2026-03-04", alice, nil)
	csrf := apptest.Between(formPage, `name="_csrf" value="`, `"`)
	csrfCookie := apptest.Between(h.Get("Set-Cookie"), "sppt_csrf=", ";")
	if csrf == "" || csrf != csrfCookie {
		t.Fatalf("csrf field %q, cookie %q", csrf, csrfCookie)
	}
	form := url.Values{"office": {"JKS"}, "date": {"2026-03-04"}, "service": {"renewal"}, "nik": {apptest.NIK("1990-10-20", true, 3)},
		"full_name": {"Siti Aminah"}, "birth_date": {"1990-10-20"}, "sex": {"F"}, "action": {"book"}}
	if st, _, _ := apptest.Page(t, "POST", u+"/book", alice, form); st != 403 {
		t.Fatalf("post without CSRF token: %d", st)
	}
	withCSRF := alice + "; sppt_csrf=" + csrf
	form.Set("_csrf", csrf)
	st, h, _ = apptest.Page(t, "POST", u+"/book", withCSRF, form)
	if st != 303 || !strings.HasPrefix(h.Get("Location"), "/bookings/") {
		t.Fatalf("book: %d %q", st, h.Get("Location"))
	}
	code := strings.TrimPrefix(h.Get("Location"), "/bookings/")
	if st, _, body := apptest.Page(t, "GET", u+"/bookings/"+code, alice, nil); st != 200 || !strings.Contains(body, code) || !strings.Contains(body, "qr.png") {
		t.Fatalf("confirmation: %d", st)
	}
	bob := "sppt_session=" + in.CitizenToken(t, "+6281200000002")
	for _, p := range []string{"", "/qr.png", "/calendar.ics", "/cancel", "/reschedule"} {
		if st, _, _ := apptest.Page(t, "GET", u+"/bookings/"+code+p, bob, nil); st != 404 {
			t.Errorf("another citizen's /bookings/%s%s: %d", code, p, st)
		}
	}

	// A full day offers the waitlist; the waitlist state shows in my bookings.
	for i := 0; i < 2; i++ {
		form.Set("nik", apptest.NIK("1990-10-20", true, 10+i))
		if st, _, _ := apptest.Page(t, "POST", u+"/book", withCSRF, form); st != 303 {
			t.Fatalf("fill %d: %d", i, st)
		}
	}
	form.Set("nik", apptest.NIK("1990-10-20", true, 20))
	st, _, body = apptest.Page(t, "POST", u+"/book", withCSRF, form)
	if st != 409 || !strings.Contains(body, `value="waitlist"`) {
		t.Fatalf("full day: %d, no waitlist offer", st)
	}
	form.Set("action", "waitlist")
	if st, _, _ := apptest.Page(t, "POST", u+"/book", withCSRF, form); st != 303 {
		t.Fatalf("join waitlist: %d", st)
	}
	if _, _, body := apptest.Page(t, "GET", u+"/bookings", alice, nil); !strings.Contains(body, "Anda di urutan 1 daftar tunggu") {
		t.Errorf("my bookings lacks the waitlist position")
	}

	// Status lookup errors name the fields.
	_, h, statusPage := apptest.Page(t, "GET", u+"/status", "", nil)
	csrf = apptest.Between(statusPage, `name="_csrf" value="`, `"`)
	st, _, body = apptest.Page(t, "POST", u+"/status", "sppt_csrf="+csrf, url.Values{"_csrf": {csrf}, "application_no": {"x"}, "birth_date": {"1990-20-10"}})
	if st != 422 || !strings.Contains(body, `href="#application_no"`) || !strings.Contains(body, `href="#birth_date"`) || !strings.Contains(body, `aria-describedby="birth_date-hint birth_date-error"`) {
		t.Fatalf("status errors: %d", st)
	}
}

// Behind a TLS-terminating proxy the request reaches us as plain HTTP, but a
// https PUBLIC_BASE_URL still marks the citizen's cookies Secure.
func TestPortalCookiesSecureBehindTLSProxy(t *testing.T) {
	t.Parallel()
	for base, want := range map[string]bool{"https://paspor.example.go.id": true, "": false} {
		in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening), Configure: func(c *config.Config) {
			if base != "" {
				c.PublicBaseURL = base
			}
		}})
		st, h, _ := apptest.Page(t, "GET", in.URL+"/login", "", nil)
		cookie := h.Get("Set-Cookie")
		if st != 200 || !strings.Contains(cookie, "sppt_csrf=") {
			t.Fatalf("%q: /login %d, Set-Cookie %q", base, st, cookie)
		}
		if got := strings.Contains(strings.ToLower(cookie), "; secure"); got != want {
			t.Errorf("PUBLIC_BASE_URL %q: Set-Cookie %q, Secure %v, want %v", base, cookie, got, want)
		}
	}
}
