package backoffice_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/network"
	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/quota"
)

// fastRevocation makes instances re-read revocations every 200 ms.
func fastRevocation(c *config.Config) { c.RevocationRefresh = 200 * time.Millisecond }

func officerCookie(tok string) string { return officer.OfficerCookie + "=" + tok }

// csrfIn is the first form token of a page.
func csrfIn(t *testing.T, body string) string {
	t.Helper()
	tok := apptest.Between(body, `name="_csrf" value="`, `"`)
	if tok == "" {
		t.Fatalf("no _csrf field in %.400s", body)
	}
	return tok
}

// signIn signs in through the login form and returns the cookie and where it leads.
func signIn(t *testing.T, in *apptest.Instance, username, password string) (string, string) {
	t.Helper()
	st, h, body := apptest.Page(t, "POST", in.URL+"/backoffice/login", "", url.Values{"username": {username}, "password": {password}, "next": {""}})
	if st != http.StatusSeeOther {
		t.Fatalf("sign-in %s: %d %.300s", username, st, body)
	}
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == officer.OfficerCookie {
			return officerCookie(c.Value), h.Get("Location")
		}
	}
	t.Fatalf("sign-in %s: no cookie", username)
	return "", ""
}

// post sends a page form with the page's CSRF token taken from page.
func post(t *testing.T, in *apptest.Instance, cookie, page, action string, form url.Values) (int, http.Header, string) {
	t.Helper()
	st, _, body := apptest.Page(t, "GET", in.URL+page, cookie, nil)
	if st != 200 {
		t.Fatalf("GET %s: %d %.300s", page, st, body)
	}
	form.Set("_csrf", csrfIn(t, body))
	return apptest.Page(t, "POST", in.URL+action, cookie, form)
}

// An admin adds an officer on the page; the officer signs in with the
// temporary password, must choose their own, and lands on their work page.
// The admin then disables them: their token is refused on another
// instance within the refresh. A reset password forces a change at the next
// sign-in. An admin of another office reaches none of it (404).
func TestOfficersFromTheAdminPage(t *testing.T) {
	t.Parallel()
	dbURL := apptest.DB(t)
	fake := clock.NewFake(apptest.Monday)
	a := apptest.Start(t, dbURL, apptest.Options{Clock: fake, Configure: fastRevocation})
	b := apptest.Start(t, dbURL, apptest.Options{Clock: fake, Configure: fastRevocation})
	admin := officerCookie(a.OfficerToken(t, "JKS", "jks.adm", "admin"))

	st, _, body := post(t, a, admin, officer.ListPath, officer.ListPath, url.Values{"username": {"jks.budi"}, "roles": {"desk", "pickup"}})
	temp := apptest.Between(body, `id="temp-password">`, `<`)
	if st != http.StatusCreated || len(temp) != 14 {
		t.Fatalf("add officer: %d, temporary password %q: %.500s", st, temp, body)
	}
	// A username taken is refused naming the field.
	if st, _, body := post(t, a, admin, officer.ListPath, officer.ListPath, url.Values{"username": {"jks.budi"}, "roles": {"desk"}}); st != http.StatusConflict || !strings.Contains(body, `id="username-error"`) {
		t.Errorf("username taken: %d", st)
	}

	cookie, to := signIn(t, b, "jks.budi", temp)
	if to != officer.PasswordPath {
		t.Fatalf("first sign-in leads to %q, want the password change", to)
	}
	// Nothing else opens with a temporary password.
	if st, h, _ := apptest.Page(t, "GET", b.URL+"/backoffice/queue", cookie, nil); st != http.StatusSeeOther || h.Get("Location") != officer.PasswordPath {
		t.Errorf("booth screen with a temporary password: %d %s", st, h.Get("Location"))
	}
	if st, _, body := post(t, b, cookie, officer.PasswordPath, officer.PasswordPath, url.Values{"password": {"short"}, "password_again": {"short"}}); st != 422 || !strings.Contains(body, `id="password-error"`) {
		t.Errorf("short password: %d", st)
	}
	st, h, _ := post(t, b, cookie, officer.PasswordPath, officer.PasswordPath, url.Values{"password": {"pasar-minggu-pagi"}, "password_again": {"pasar-minggu-pagi"}})
	if st != http.StatusSeeOther || h.Get("Location") != "/backoffice/queue" {
		t.Fatalf("password change: %d to %q", st, h.Get("Location"))
	}
	cookie, to = signIn(t, a, "jks.budi", "pasar-minggu-pagi")
	if to != "/backoffice/queue" {
		t.Fatalf("sign-in leads to %q, want the booth screen", to)
	}
	if st, _, _ := apptest.Page(t, "GET", b.URL+to, cookie, nil); st != 200 {
		t.Fatalf("work page: %d", st)
	}
	apiTok := b.Login(t, "jks.budi", "pasar-minggu-pagi")

	// Another office's admin: the officer does not exist for them.
	other := officerCookie(a.OfficerToken(t, "DPS", "dps.adm", "admin"))
	if st, _, _ := apptest.Page(t, "GET", a.URL+officer.ListPath+"?office=JKS", other, nil); st != 404 {
		t.Errorf("DPS admin on JKS's officers: %d", st)
	}
	if st, _, _ := apptest.Page(t, "GET", a.URL+officer.ListPath+"/jks.budi", other, nil); st != 404 {
		t.Errorf("DPS admin on jks.budi: %d", st)
	}
	if st, _, _ := post(t, a, other, officer.ListPath, officer.ListPath+"/jks.budi/disable", url.Values{}); st != 404 {
		t.Errorf("DPS admin disabling jks.budi: %d", st)
	}

	// Disabled on a: the token and the cookie stop working on b.
	st, _, _ = post(t, a, admin, officer.ListPath+"/jks.budi", officer.ListPath+"/jks.budi/disable", url.Values{})
	if st != http.StatusSeeOther {
		t.Fatalf("disable: %d", st)
	}
	start := time.Now()
	for b.Do(t, "GET", "/api/v1/backoffice/me", apiTok, nil).Status != 401 {
		if time.Since(start) > 5*time.Second {
			t.Fatal("a disabled officer's token still works on the other instance after 5 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("disabled officer refused on the other instance after %v", time.Since(start).Round(time.Millisecond))
	if st, h, _ := apptest.Page(t, "GET", b.URL+"/backoffice/queue", cookie, nil); st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/backoffice/login") {
		t.Errorf("disabled officer's page cookie: %d %s", st, h.Get("Location"))
	}
	if r := b.Do(t, "POST", "/api/v1/backoffice/login", "", map[string]string{"username": "jks.budi", "password": "pasar-minggu-pagi"}); r.Status != 401 {
		t.Errorf("disabled officer signs in: %d", r.Status)
	}
	// The admin cannot disable themselves.
	if st, _, _ := post(t, a, admin, officer.ListPath+"/jks.adm", officer.ListPath+"/jks.adm/disable", url.Values{}); st != 422 {
		t.Errorf("admin disabling themselves: %d", st)
	}

	// Enabled again, then reset: the next sign-in is a forced change.
	if st, _, _ := post(t, a, admin, officer.ListPath+"/jks.budi", officer.ListPath+"/jks.budi/enable", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("enable: %d", st)
	}
	fake.Advance(2 * time.Second) // a new token's issue time after the disable's cut-off
	apiTok = b.Login(t, "jks.budi", "pasar-minggu-pagi")
	fake.Advance(time.Second) // the reset comes after that sign-in (the fake clock stands still)
	st, _, body = post(t, a, admin, officer.ListPath+"/jks.budi", officer.ListPath+"/jks.budi/reset", url.Values{})
	temp = apptest.Between(body, `id="temp-password">`, `<`)
	if st != 200 || len(temp) != 14 {
		t.Fatalf("reset: %d %q", st, temp)
	}
	if r := b.Do(t, "POST", "/api/v1/backoffice/login", "", map[string]string{"username": "jks.budi", "password": "pasar-minggu-pagi"}); r.Status != 401 {
		t.Errorf("old password after reset: %d", r.Status)
	}
	if _, to := signIn(t, b, "jks.budi", temp); to != officer.PasswordPath {
		t.Errorf("sign-in after reset leads to %q", to)
	}
	tempTok := b.Login(t, "jks.budi", temp)
	if r := b.Do(t, "GET", "/api/v1/backoffice/me", tempTok, nil); r.Status != 403 || r.ErrorCode() != "password_change_required" {
		t.Errorf("API with a temporary password: %d %s", r.Status, r.Body)
	}
	start = time.Now()
	for b.Do(t, "GET", "/api/v1/backoffice/me", apiTok, nil).Status != 401 {
		if time.Since(start) > 5*time.Second {
			t.Fatal("a session from before the reset still works")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A citizen's sign-out ends that token on every instance.
func TestCitizenLogoutRevokesToken(t *testing.T) {
	t.Parallel()
	dbURL := apptest.DB(t)
	a := apptest.Start(t, dbURL, apptest.Options{Configure: fastRevocation})
	b := apptest.Start(t, dbURL, apptest.Options{Configure: fastRevocation})
	tok := a.CitizenToken(t, "+6281234567890")
	other := a.CitizenToken(t, "+6281234567890") // another device of the same citizen
	if r := b.Do(t, "GET", "/api/v1/bookings", tok, nil); r.Status != 200 {
		t.Fatalf("bookings before sign-out: %d %s", r.Status, r.Body)
	}
	session := "sppt_session=" + tok + "; sppt_csrf=" + apptest.CSRF
	if st, _, _ := apptest.Page(t, "POST", a.URL+"/logout", session, url.Values{"_csrf": {apptest.CSRF}}); st != http.StatusSeeOther {
		t.Fatalf("logout: %d", st)
	}
	start := time.Now()
	for b.Do(t, "GET", "/api/v1/bookings", tok, nil).Status != 401 {
		if time.Since(start) > 5*time.Second {
			t.Fatal("a signed-out token still works on the other instance")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if r := b.Do(t, "GET", "/api/v1/bookings", other, nil); r.Status != 200 {
		t.Errorf("the citizen's other device was signed out too: %d", r.Status)
	}
}

// The regional head sees their region's offices only; the national admin
// every office, with the same figures as CSV; a drill-down shows one office.
func TestNetworkView(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 10, 0)
	in.Book(t, "JKS", "2026-03-02", "new", apptest.NIK("1990-10-20", true, 1))
	if _, err := in.App.Queue.Walkin(context.Background(), "JKS", "new", "test"); err != nil {
		t.Fatal(err)
	}
	regional := officerCookie(in.ScopeToken(t, "dki.head", "DKI Jakarta", "regional_head"))
	st, _, body := apptest.Page(t, "GET", in.URL+network.Path, regional, nil)
	if st != 200 {
		t.Fatalf("regional view: %d", st)
	}
	for _, code := range []string{"JKS", "JKB", "JKP"} {
		if !strings.Contains(body, `data-office="`+code+`"`) {
			t.Errorf("regional view without %s", code)
		}
	}
	if strings.Contains(body, `data-office="DPS"`) || strings.Contains(body, `data-office="SHT"`) {
		t.Error("regional view lists an office of another region")
	}
	jks := apptest.Between(body, `data-office="JKS">`, `</tr>`)
	if !strings.Contains(jks, "<td>110</td>") || !strings.Contains(jks, "<td>1</td><td>1</td><td>1</td><td>0</td>") || !strings.Contains(jks, "—") {
		t.Errorf("JKS row (quota 110, booked 1, walk-ins 1, waiting 1, served 0, late unknown): %s", jks)
	}
	if st, _, _ := apptest.Page(t, "GET", in.URL+network.Path+"/DPS", regional, nil); st != 404 {
		t.Errorf("regional head drilling into DPS: %d", st)
	}
	if st, _, body := apptest.Page(t, "GET", in.URL+network.Path+"/jks", regional, nil); st != 200 || !strings.Contains(body, `data-figure="quota">110<`) {
		t.Errorf("drill-down into JKS: %d", st)
	}
	// Their officers: read-only.
	if st, _, body := apptest.Page(t, "GET", in.URL+officer.ListPath+"?office=JKS", regional, nil); st != 200 || strings.Contains(body, `id="add-officer"`) {
		t.Errorf("regional head on JKS's officers: %d, add form shown %v", st, strings.Contains(body, `id="add-officer"`))
	}
	if st, _, _ := apptest.Page(t, "GET", in.URL+officer.ListPath+"?office=DPS", regional, nil); st != 404 {
		t.Errorf("regional head on DPS's officers: %d", st)
	}
	if st, _, _ := post(t, in, regional, officer.ListPath+"?office=JKS", officer.ListPath, url.Values{"office": {"JKS"}, "username": {"jks.x"}, "roles": {"desk"}}); st != 403 {
		t.Errorf("regional head adding an officer: %d", st)
	}

	national := officerCookie(in.ScopeToken(t, "national.adm", "", "national_admin"))
	st, _, body = apptest.Page(t, "GET", in.URL+network.Path, national, nil)
	if st != 200 || strings.Count(body, `<tr data-office="`) != len(quota.ReferenceOffices) {
		t.Fatalf("national view: %d, %d offices, want %d", st, strings.Count(body, `<tr data-office="`), len(quota.ReferenceOffices))
	}
	st, h, raw := apptest.Page(t, "GET", in.URL+network.CSVPath, national, nil)
	recs, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
	if st != 200 || err != nil || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || len(recs) != len(quota.ReferenceOffices)+1 {
		t.Fatalf("CSV: %d %v %s, %d lines", st, err, h.Get("Content-Type"), len(recs))
	}
	for _, r := range recs {
		if r[0] == "JKS" && strings.Join(r[3:], ",") != "2026-03-02,110,1,1,1,0,0" { // late: none flagged
			t.Errorf("CSV JKS: %v", r)
		}
	}
	// The national admin manages any office's officers.
	if st, _, body := post(t, in, national, officer.ListPath+"?office=DPS", officer.ListPath, url.Values{"office": {"DPS"}, "username": {"dps.baru"}, "roles": {"cashier"}}); st != 201 {
		t.Errorf("national admin adding a DPS officer: %d %.300s", st, body)
	}
}

// Without the event (a lost NOTIFY, a reconnecting listener) the periodic
// re-read alone brings a revocation in within the refresh.
func TestRevocationReachesAnInstanceWithoutTheEvent(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	tok := in.OfficerToken(t, "JKS", "jks.poll", "desk")
	claims, err := in.App.Tokens.Parse(tok, auth.Officer)
	if err != nil {
		t.Fatal(err)
	}
	r := &auth.Revocations{Pool: in.Pool, Refresh: 100 * time.Millisecond}
	if err := r.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.Run(ctx, nil) // no hub: polling only
	if r.Revoked(claims) {
		t.Fatal("revoked before anything happened")
	}
	if err := officer.Disable(context.Background(), in.Pool, "JKS", "jks.poll", "test", 0, time.Now()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for !r.Revoked(claims) {
		if time.Since(start) > 3*time.Second {
			t.Fatal("not revoked by polling within 3 s (refresh 100 ms)")
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("revoked by polling after %v", time.Since(start).Round(time.Millisecond))
}
