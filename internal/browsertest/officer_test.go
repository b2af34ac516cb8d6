package browsertest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/internal/browsertest"
)

// officerSite is a stand-in for the officers' pages with their selectors:
// the sign-in form (only "rina" / "rahasia" gets in), a signed-in page with
// the header's name and the menu's sign-out button.
func officerSite(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	html := func(w http.ResponseWriter, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Petugas</title></head><body><main>%s</main></body></html>`, body)
	}
	login := `<h1>Masuk</h1><form method="post" action="/backoffice/login"><label for="username">Nama</label><input id="username" name="username">
		<label for="password">Sandi</label><input id="password" name="password" type="password"><button>Masuk</button></form>`
	mux.HandleFunc("GET /backoffice/login", func(w http.ResponseWriter, r *http.Request) { html(w, login) })
	mux.HandleFunc("POST /backoffice/login", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("username") != "rina" || r.FormValue("password") != "rahasia" {
			html(w, `<p role="alert">Nama atau sandi salah.</p>`+login)
			return
		}
		http.Redirect(w, r, "/backoffice/work", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /backoffice/work", func(w http.ResponseWriter, r *http.Request) {
		html(w, `<span id="officer-who">Rina, JKS</span><nav class="officer-nav"><form method="post" action="/backoffice/logout"><button>Keluar</button></form></nav>`)
	})
	mux.HandleFunc("POST /backoffice/logout", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/backoffice/login", http.StatusSeeOther)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// fatals is a testing.TB that keeps what Fatalf reports instead of failing.
type fatals struct {
	testing.TB
	msgs []string
}

func (f *fatals) Helper() {}

func (f *fatals) Fatalf(format string, args ...any) {
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}

// SignIn, SignOut, NewTab and a failing Step against the stand-in.
func TestSignInAndStep(t *testing.T) {
	srv := officerSite(t)
	ctx := browsertest.New(t)
	browsertest.SignIn(t, ctx, srv.URL, "rina", "rahasia")
	who, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#officer-who")))
	if err != nil || who != "Rina, JKS" {
		t.Fatalf("signed in, the header says %q (%v)", who, err)
	}
	// A second tab shares the sign-in and outlives its first step.
	tab := browsertest.NewTab(t, ctx)
	browsertest.Step(t, tab, "second tab", chromedp.Navigate(srv.URL+"/backoffice/work"), chromedp.WaitVisible("#officer-who"))
	if who, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("#officer-who"))); err != nil || who != "Rina, JKS" {
		t.Fatalf("second tab: %q (%v)", who, err)
	}
	browsertest.SignOut(t, ctx)
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, browsertest.OfficerLoginPath) {
		t.Errorf("signed out on %s", loc)
	}

	// A wrong password never reaches an officer page: the step fails and
	// says what the page showed.
	rec := &fatals{TB: t}
	browsertest.Step(rec, ctx, "wrong password", chromedp.SendKeys("#username", "rina"), chromedp.SendKeys("#password", "salah"),
		chromedp.Submit("#password"), chromedp.WaitVisible(`[role=alert]`),
		chromedp.Evaluate[chromedp.Void](`if (!document.querySelector("#officer-who")) throw new Error("not signed in")`))
	if len(rec.msgs) != 1 || !strings.Contains(rec.msgs[0], "wrong password") || !strings.Contains(rec.msgs[0], "Nama atau sandi salah.") ||
		!strings.Contains(rec.msgs[0], srv.URL+"/backoffice/login") {
		t.Errorf("the failed step reports %q", rec.msgs)
	}
}
