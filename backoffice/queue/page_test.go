package queue_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// The booth screen works with plain forms: sign in by cookie, call, recall,
// complete; a desk officer cannot open the device admin page.
func TestBoothScreenWithoutJavaScript(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(monday)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	q := in.App.Queue
	setBooths(t, q, "JKS", queue.Booth{Number: 2, Name: "Loket 2", Services: civil.OSSBoothServices})
	setQuota(t, in, "JKS", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), 10, 2)
	walkin(t, q, "JKS", "renewal")
	walkin(t, q, "JKS", "new")
	in.OfficerToken(t, "JKS", "jks.desk", "desk")

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(path string) (int, string) {
		r, err := c.Get(in.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(b)
	}
	var csrf string // the page's form token, once signed in
	post := func(path string, form url.Values) (int, string) {
		if form == nil {
			form = url.Values{}
		}
		if csrf != "" {
			form.Set("_csrf", csrf)
		}
		r, err := c.PostForm(in.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(b)
	}
	// Not signed in: the login form, which comes back to the page.
	if st, body := get("/backoffice/queue?booth=2"); st != 200 || !strings.Contains(body, `name="next" value="/backoffice/queue?booth=2"`) {
		t.Fatalf("unauthenticated booth screen: %d %.300s", st, body)
	}
	if st, body := post("/backoffice/login", url.Values{"username": {"jks.desk"}, "password": {"wrong-password"}, "next": {"/backoffice/queue?booth=2"}}); st != 401 || !strings.Contains(body, "salah") {
		t.Fatalf("wrong password: %d", st)
	}
	st, body := post("/backoffice/login", url.Values{"username": {"jks.desk"}, "password": {"correct-horse-battery"}, "next": {"/backoffice/queue?booth=2"}})
	if st != 200 || !strings.Contains(body, "Loket 2") || !strings.Contains(body, `action="/backoffice/queue/2/call-next"`) {
		t.Fatalf("booth screen after login: %d %.500s", st, body)
	}
	for _, ck := range jar.Cookies(mustURL(t, in.URL)) {
		if ck.Name == officer.OfficerCookie && ck.Value == "" {
			t.Fatal("empty officer cookie")
		}
	}
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("booth forms without a CSRF token: %.500s", body)
	}
	// A form without the token, or from another site, changes nothing.
	if st, _ := post("/backoffice/queue/2/call-next", nil); st != 403 {
		t.Fatalf("call without the CSRF token: %d", st)
	}
	req, _ := http.NewRequest("POST", in.URL+"/backoffice/queue/2/call-next", strings.NewReader("_csrf="+m[1]))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	if r, err := c.Do(req); err != nil || r.StatusCode != 403 {
		t.Fatalf("call from another origin: %v %v", r, err)
	} else {
		r.Body.Close()
	}
	csrf = m[1]
	st, body = post("/backoffice/queue/2/call-next", nil)
	if st != 200 || !strings.Contains(body, `id="booth-current">B001<`) || !strings.Contains(body, "B001 dipanggil ke loket 2") {
		t.Fatalf("call next: %d %.800s", st, body)
	}
	if st, body = post("/backoffice/queue/2/recall", nil); st != 200 || !strings.Contains(body, "B001 dipanggil ulang") {
		t.Fatalf("recall: %d", st)
	}
	if st, body = post("/backoffice/queue/2/complete", nil); st != 200 || !strings.Contains(body, "B001 ditandai selesai") {
		t.Fatalf("complete: %d", st)
	}
	if st, body = post("/backoffice/queue/2/recall", nil); st != 409 || !strings.Contains(body, "sedang tidak melayani") {
		t.Fatalf("recall with nothing called: %d %.300s", st, body)
	}
	if st, _ = get("/backoffice/devices"); st != 403 {
		t.Fatalf("desk officer on the device page: %d", st)
	}
	if st, _ = post("/backoffice/logout", nil); st != 200 {
		t.Fatalf("logout: %d", st)
	}
	if _, body = get("/backoffice/queue"); !strings.Contains(body, `action="/backoffice/login"`) {
		t.Fatal("still signed in after logout")
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
