package app_test

import (
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/config"
)

// Every response carries the security headers: a CSP that allows only the
// site's own scripts and styles and no framing, nosniff, a Referrer-Policy;
// HSTS when the public address is https. Officer and citizen pages are
// never stored by a browser or proxy (no-store); static assets are cached.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	db := apptest.DB(t)
	in := apptest.Start(t, db, apptest.Options{Configure: func(c *config.Config) { c.PublicBaseURL = "https://sppt.example" }})
	officer := in.OfficerToken(t, "JKS", "jks.desk.hdr", "desk")
	citizen := in.CitizenToken(t, "+6281234567002")
	pages := []struct{ path, cookie string }{
		{"/", ""}, {"/login", ""}, {"/bookings", "sppt_session=" + citizen}, {"/backoffice/login", ""},
		{"/backoffice/queue", "sppt_officer=" + officer}, {"/no-such-page", ""},
	}
	for _, p := range pages {
		st, h, _ := apptest.Page(t, "GET", in.URL+p.path, p.cookie, nil)
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s (%d): CSP %q lacks %q", p.path, st, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q allows inline code", p.path, csp)
		}
		want := map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
			"X-Frame-Options": "DENY", "Cache-Control": "no-store"}
		for k, v := range want {
			if got := h.Get(k); got != v {
				t.Errorf("%s (%d): %s %q, want %q", p.path, st, k, got, v)
			}
		}
		if hsts := h.Get("Strict-Transport-Security"); !strings.HasPrefix(hsts, "max-age=31536000") {
			t.Errorf("%s: HSTS %q with an https public address", p.path, hsts)
		}
	}
	r := in.Do(t, "GET", "/api/v1/offices", "", nil)
	if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("API response without the security headers: %v", r.Header)
	}
	if cc := in.Do(t, "GET", "/static/app.css", "", nil).Header.Get("Cache-Control"); !strings.Contains(cc, "max-age") {
		t.Errorf("static asset: Cache-Control %q, want it cached", cc)
	}

	// Over plain http (the default public address), no HSTS: it would lock
	// a browser out of a site that has no TLS.
	plain := apptest.Start(t, db, apptest.Options{})
	if h := plain.Do(t, "GET", "/", "", nil).Header; h.Get("Strict-Transport-Security") != "" || h.Get("Content-Security-Policy") == "" {
		t.Errorf("http public address: HSTS %q, CSP %q", h.Get("Strict-Transport-Security"), h.Get("Content-Security-Policy"))
	}
}
