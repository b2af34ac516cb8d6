package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
)

// A page form posted from another site is refused with 403 even when it
// carries a valid token (the citizen's double-submit pair) or relies on a
// SameSite cookie alone (the kiosk, officer sign-in): the Origin names
// another host. From the site itself, or with no Origin, it goes through.
func TestForeignOriginFormsRefused(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	kiosk := in.DeviceToken(t, "JKS", "kiosk", "Kiosk Origin")
	cases := []struct{ path, cookie string }{
		{"/status", "sppt_csrf=" + apptest.CSRF},
		{"/kiosk/near", "sppt_kiosk=" + kiosk},
		{"/backoffice/login", ""},
	}
	form := url.Values{"_csrf": {apptest.CSRF}, "application_no": {"JKS-260302-0001"}, "birth_date": {"1990-10-20"},
		"ticket": {"A001"}, "phone": {"081234567890"}, "username": {"nobody"}, "password": {"wrong-password-here"}}
	post := func(path, cookie, origin string) int {
		req, _ := http.NewRequest("POST", in.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", cookie)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, c := range cases {
		for _, o := range []string{"https://evil.example", "null", "http://127.0.0.1.evil.example"} {
			if st := post(c.path, c.cookie, o); st != http.StatusForbidden {
				t.Errorf("%s with Origin %s: %d, want 403", c.path, o, st)
			}
		}
		for _, o := range []string{in.URL, ""} {
			if st := post(c.path, c.cookie, o); st == http.StatusForbidden {
				t.Errorf("%s with Origin %q: 403, want it through", c.path, o)
			}
		}
	}
}
