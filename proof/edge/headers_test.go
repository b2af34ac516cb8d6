package edge_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/proof/prooftest"
)

// TestEveryPageCarriesSecurityHeaders GETs every GET page route of the
// router, signed in as a citizen, an officer of every office role and the
// office's kiosk and TV at once (each page reads its own cookie), on an
// instance whose public address is https: every answer has a CSP with no
// inline code and no framing, nosniff, a Referrer-Policy, no-store and
// HSTS. The same routes over a plain-http public address carry no HSTS
// (it would lock browsers out of a site without TLS).
func TestEveryPageCarriesSecurityHeaders(t *testing.T) {
	t.Parallel()
	db := apptest.DB(t)
	fake := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, db, apptest.Options{Clock: fake, Configure: func(c *config.Config) { c.PublicBaseURL = "https://sppt.example" }})
	plain := apptest.Start(t, db, apptest.Options{Clock: fake})
	f := newFormFixtures(t, in)
	cookie := strings.Join([]string{"sppt_session=" + f.citizen, "sppt_officer=" + f.officer, "sppt_kiosk=" + f.kiosk,
		"sppt_display=" + f.tv}, "; ")
	national := "sppt_officer=" + in.ScopeToken(t, "national.hdr", "", "national_admin")
	routes := pageRoutes(in, "GET")
	held, html, other := 0, 0, 0
	for _, r := range routes {
		path := fill(r.Path, f.params)
		if strings.HasPrefix(r.Path, "/offices/") {
			path = fill(r.Path, map[string]string{"code": "JKS"})
		}
		st, h, body := apptest.Page(t, "GET", in.URL+path, cookie, nil)
		if st == http.StatusForbidden { // a national admin's page (network, holidays): as one
			st, h, body = apptest.Page(t, "GET", in.URL+path, national, nil)
		}
		if st == http.StatusOK && strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			html++
		} else if st == http.StatusOK {
			other++
		}
		bad := headerFaults(h, true, strings.HasPrefix(h.Get("Content-Type"), "text/html"))
		if st >= 500 {
			bad = append(bad, "status "+http.StatusText(st))
		}
		_, ph, _ := apptest.Page(t, "GET", plain.URL+path, cookie, nil)
		if hsts := ph.Get("Strict-Transport-Security"); hsts != "" {
			bad = append(bad, "HSTS over a plain-http public address")
		}
		if len(bad) == 0 {
			held++
		} else {
			t.Errorf("GET %s (%d): %s\n%.200s", path, st, strings.Join(bad, "; "), body)
		}
	}
	prooftest.Line(t, "headers", "every GET page route of the router: CSP without inline code, frame-ancestors, nosniff, Referrer-Policy, no-store on pages, HSTS only when https",
		held, len(routes), prooftest.Figure("routes", len(routes)), prooftest.Figure("answered_html_200", html),
		prooftest.Figure("answered_other_200", other))
}

// headerFaults lists what a page's answer lacks. A page (HTML) is never
// stored; another answer of a page route (a booking's QR image, a CSV, a
// chart) at most in the browser's own cache, never a shared one.
func headerFaults(h http.Header, https, html bool) []string {
	var bad []string
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			bad = append(bad, "CSP lacks "+want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		bad = append(bad, "CSP allows inline code")
	}
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
		"X-Frame-Options": "DENY"} {
		if got := h.Get(k); got != v {
			bad = append(bad, k+" "+got)
		}
	}
	cc := h.Get("Cache-Control")
	if stored := !strings.Contains(cc, "no-store"); html && stored || !html && stored && !strings.Contains(cc, "private") {
		bad = append(bad, "Cache-Control "+cc)
	}
	if hsts := h.Get("Strict-Transport-Security"); https && !strings.HasPrefix(hsts, "max-age=31536000") {
		bad = append(bad, "HSTS "+hsts)
	}
	return bad
}
