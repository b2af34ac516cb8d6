package edge_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/proof/prooftest"
)

// How a page form is protected.
const (
	portalToken  = "portal"  // the citizen's double-submit pair: sppt_csrf cookie and _csrf field
	officerToken = "officer" // a hash of the officer's sign-in in the _csrf field, and Origin
	originOnly   = "origin"  // no token: pre-session forms and SameSite=Strict device cookies, and Origin
)

// formCase is how to post one POST page route: its protection, who posts
// (a cookie) and the path's parameters.
type formCase struct {
	guard  string
	cookie func(t testing.TB) string
	page   string // an officer page that shows this cookie's token ("" /backoffice/queue)
}

// TestEveryPageFormRefusesCrossSitePosts walks every POST page route of the
// router. Each is posted without the CSRF token, with a wrong one and with
// the right one from a foreign Origin: each refused with 403 and no row of
// any table changed. With the right token from the site it passes the
// guard (the case is real). A route without a case here fails the proof.
func TestEveryPageFormRefusesCrossSitePosts(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	f := newFormFixtures(t, in)
	cases := f.cases(t)
	routes := pageRoutes(in, "POST")
	held, tried, works, statesChanged := 0, 0, 0, 0
	byGuard := map[string]int{}
	for _, r := range routes {
		c, ok := cases[r.Path]
		if !ok {
			t.Errorf("POST page route %s has no CSRF case: add one to formFixtures.cases", r.Path)
			tried++
			continue
		}
		byGuard[c.guard]++
		path := fill(r.Path, f.params)
		cookie := c.cookie(t)
		good := f.token(t, c, cookie)
		attempts := []struct {
			what          string
			token, origin string
		}{{"no token", "", ""}, {"wrong token", otherFirst(good), ""}, {"foreign Origin", good, "https://evil.example"}}
		if c.guard == originOnly { // no token to leave out: only Origin tells
			attempts = attempts[2:]
		}
		before := takeFingerprint(t, in.Pool)
		for _, a := range attempts {
			tried++
			st, body := f.post(t, path, cookie, a.token, a.origin)
			if st == http.StatusForbidden {
				held++
			} else {
				t.Errorf("%s %s: %d, want 403\n%.300s", a.what, path, st, body)
			}
		}
		if ch := changed(before, takeFingerprint(t, in.Pool)); len(ch) > 0 {
			t.Errorf("%s: refused posts changed %v", path, ch)
			held--
		}
		tried++ // the right token from the site itself passes the guard
		if st, body := f.post(t, path, cookie, good, in.URL); st != http.StatusForbidden {
			held++
			works++
			if prooftest.Full() && len(changed(before, takeFingerprint(t, in.Pool))) > 0 {
				statesChanged++ // a figure only: not every right post changes a row
			}
		} else {
			t.Errorf("right token %s: 403, the case is not real\n%.300s", path, body)
		}
	}
	prooftest.Line(t, "csrf", "every POST page route of the router: no token, wrong token, foreign Origin refused with no row changed; right token passes",
		held, tried, prooftest.Figure("routes", len(routes)), prooftest.Figure("token_routes", byGuard[portalToken]+byGuard[officerToken]),
		prooftest.Figure("origin_only_routes", byGuard[originOnly]), prooftest.Figure("right_token_passed", works),
		prooftest.Figure("right_token_changed_state", statesChanged))
}

// otherFirst is tok with its first character changed: a wrong token of the
// right shape. ("x" + tok[1:] was the right one whenever tok began with x:
// one run in 64, every officer form at once.)
func otherFirst(tok string) string {
	if strings.HasPrefix(tok, "x") {
		return "y" + tok[1:]
	}
	return "x" + tok[1:]
}

// formFixtures are the people, devices and records the forms act on.
type formFixtures struct {
	in                          *apptest.Instance
	citizen, officer, kiosk, tv string
	params                      map[string]string
	officerCSRF                 map[string]string // by cookie
}

func newFormFixtures(t testing.TB, in *apptest.Instance) *formFixtures {
	in.OpenDay(t, "JKS", "2026-03-02", 50, 50)
	in.OpenDay(t, "JKS", "2026-03-04", 50, 50)
	code := in.Book(t, "JKS", "2026-03-04", "new", apptest.NIK("1990-10-20", true, 1))
	in.AddApplication(t, "JKS-260302-0001", "+6281234567890", civil.StageDesk, apptest.Opening)
	n := officer.NewOfficer{Username: "jks.target", Password: "correct-horse-battery", Office: "JKS", Roles: []string{"desk"}}
	if _, err := officer.AddOfficer(context.Background(), in.Pool, n, "test", in.App.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	id, _, err := in.App.Devices.Add(context.Background(), "JKS", "kiosk", "Kiosk target", "test", in.App.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return &formFixtures{in: in, citizen: in.CitizenToken(t, "+6281234567890"),
		officer: in.OfficerToken(t, "JKS", "jks.csrf", allRoles...),
		kiosk:   in.DeviceToken(t, "JKS", "kiosk", "Kiosk CSRF"), tv: in.DeviceToken(t, "JKS", "display", "TV CSRF"),
		params: map[string]string{"code": code, "no": "JKS-260302-0001", "username": "jks.target", "id": id.String(),
			"booth": "1", "action": "call-next", "office": "JKS", "id<int>": "1"},
		officerCSRF: map[string]string{}}
}

// cases has one entry per POST page route pattern. Sign-outs and the
// password change get sessions of their own: passing, they end theirs.
func (f *formFixtures) cases(t testing.TB) map[string]formCase {
	in := f.in
	fixed := func(s string) func(testing.TB) string { return func(testing.TB) string { return s } }
	citizen := fixed("sppt_session=" + f.citizen)
	off := fixed("sppt_officer=" + f.officer)
	own := func(t testing.TB) string { return "sppt_officer=" + in.Login(t, "jks.csrf", "correct-horse-battery") }
	national := fixed("sppt_officer=" + in.ScopeToken(t, "national.csrf", "", "national_admin"))
	portal := func(ck func(testing.TB) string) formCase { return formCase{portalToken, ck, ""} }
	device := func(ck string) formCase { return formCase{originOnly, fixed(ck), ""} }
	c := map[string]formCase{
		"/login": portal(fixed("")), "/login/verify": portal(fixed("")), "/status": portal(fixed("")),
		"/logout": portal(func(t testing.TB) string { return "sppt_session=" + in.CitizenToken(t, "+6281234567891") }),
		"/book":   portal(citizen), "/bookings/:code/cancel": portal(citizen),
		"/bookings/:code/reschedule": portal(citizen), "/bookings/:code/accept": portal(citizen),
		"/backoffice/login": device(""), "/backoffice/logout": {officerToken, own, ""},
		"/backoffice/password":        {officerToken, func(t testing.TB) string { return "sppt_officer=" + f.mustChange(t) }, "/backoffice/password"},
		"/backoffice/holidays":        {officerToken, national, "/backoffice/holidays"},
		"/backoffice/holidays/remove": {officerToken, national, "/backoffice/holidays"},
		"/tv/setup":                   device(""), "/kiosk/setup": device(""), "/tv/heartbeat": device("sppt_display=" + f.tv),
		"/kiosk/checkin": device("sppt_kiosk=" + f.kiosk), "/kiosk/walkin": device("sppt_kiosk=" + f.kiosk),
		"/kiosk/near": device("sppt_kiosk=" + f.kiosk),
	}
	// Every other form is an officer page behind the page guard.
	for _, r := range pageRoutes(in, "POST") {
		if _, ok := c[r.Path]; !ok && strings.HasPrefix(r.Path, "/backoffice/") && r.Path != "/backoffice/login" {
			c[r.Path] = formCase{officerToken, off, ""}
		}
	}
	return c
}

// mustChange signs in an officer whose password is a temporary one: only
// the password form opens for them.
func (f *formFixtures) mustChange(t testing.TB) string {
	n := officer.NewOfficer{Username: "jks.temporary", Password: "temporary-horse-battery", Office: "JKS", Roles: []string{"desk"}, MustChange: true}
	if _, err := officer.AddOfficer(context.Background(), f.in.Pool, n, "test", f.in.App.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	return f.in.Login(t, n.Username, n.Password)
}

// token is the right CSRF token for a case's cookie.
func (f *formFixtures) token(t testing.TB, c formCase, cookie string) string {
	switch c.guard {
	case portalToken:
		return apptest.CSRF
	case originOnly:
		return "-none-"
	}
	if tok, ok := f.officerCSRF[cookie]; ok {
		return tok
	}
	page := c.page
	if page == "" {
		page = "/backoffice/queue"
	}
	st, _, body := apptest.Page(t, "GET", f.in.URL+page, cookie, nil)
	tok := apptest.Between(body, `name="_csrf" value="`, `"`)
	if tok == "" {
		t.Fatalf("no CSRF token on %s (%d) for the officer", page, st)
	}
	f.officerCSRF[cookie] = tok
	return tok
}

// post sends a form as a browser would: the sppt_csrf cookie beside the
// case's own, the token in _csrf, fields most forms read.
func (f *formFixtures) post(t testing.TB, path, cookie, token, origin string) (int, string) {
	form := f.form()
	if token != "" && token != "-none-" {
		form.Set("_csrf", token)
	}
	st, _, body := f.postRaw(t, path, cookie, origin, form.Encode())
	return st, body
}

// form has the fields most forms read, with sensible values.
func (f *formFixtures) form() url.Values {
	return url.Values{"phone": {"081234567890"}, "code": {"123456"}, "application_no": {"JKS-260302-0001"},
		"birth_date": {"1990-10-20"}, "office": {"JKS"}, "date": {"2026-03-04"}, "service": {"new"},
		"nik": {apptest.NIK("1990-10-20", true, 2)}, "full_name": {"Siti Aminah"}, "sex": {"F"}, "booking_code": {f.params["code"]},
		"username": {"jks.new"}, "name": {"Nama Baru"}, "password": {"another-horse-battery"}, "password_again": {"another-horse-battery"},
		"roles": {"desk"}, "text": {"Selamat datang"}, "reason": {"alasan uji"}, "ticket": {"A001"}, "kind": {"kiosk"},
		"key": {"k1"}, "booth": {"1"}, "score": {"5"}, "notes": {"catatan"}}
}

// postRaw sends body as a form, as a browser would: the sppt_csrf cookie
// beside the case's own; redirects are not followed.
func (f *formFixtures) postRaw(t testing.TB, path, cookie, origin, body string) (int, http.Header, string) {
	req, err := http.NewRequest("POST", f.in.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", strings.Trim("sppt_csrf="+apptest.CSRF+"; "+cookie, "; "))
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	client := &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}
