package edge_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
)

// formTarget is one POST page route as its rightful user posts it.
type formTarget struct{ path, cookie, token string }

// FuzzPageForms (issue 14, part 2, item 4: every endpoint's form bodies)
// posts arbitrary bodies to every POST page route of the router, past its
// CSRF guard (the right token and Origin, the rightful cookie), so the
// bytes reach the handler's parsing. Whatever arrives, the answer is never
// a 5xx (a 503 with Retry-After aside), and a 4xx is a page, not a trace.
func FuzzPageForms(f *testing.F) {
	in := apptest.Start(f, apptest.DB(f), apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	fx := newFormFixtures(f, in)
	cases := fx.cases(f)
	var targets []formTarget
	for _, r := range pageRoutes(in, "POST") {
		c, ok := cases[r.Path]
		if !ok {
			f.Fatalf("POST page route %s has no case: add one to formFixtures.cases", r.Path)
		}
		ck := c.cookie(f)
		tok := fx.token(f, c, ck)
		if tok == "-none-" {
			tok = ""
		}
		targets = append(targets, formTarget{fill(r.Path, fx.params), ck, tok})
	}
	good := fx.form().Encode()
	odd := []string{"", "%", "full_name=%00", "nik=" + strings.Repeat("9", 5000), "date=2026-02-30&date=x", "booth=-1&score=1e999",
		"roles=desk&roles=national_admin", "text=\xff\xfe", "a=b;c=d&&&=", "password=" + strings.Repeat("p", 100_000)}
	for i := range targets {
		f.Add(uint16(i), good)
		f.Add(uint16(i), odd[i%len(odd)])
	}
	f.Fuzz(func(t *testing.T, i uint16, body string) {
		tg := targets[int(i)%len(targets)]
		rightful := body == good
		if tg.token != "" {
			body += "&_csrf=" + url.QueryEscape(tg.token)
		}
		st, h, page := fx.postRaw(t, tg.path, tg.cookie, in.URL, body)
		if err := checkPage(st, h, page); err != nil {
			t.Fatalf("POST %s body %q: %v", tg.path, body, err)
		}
		if rightful && st == http.StatusForbidden {
			t.Fatalf("POST %s: the guard refused the rightful post, so no fuzzed body would get past it", tg.path)
		}
	})
}

// checkPage: no 5xx but a 503 that says when to retry; a 4xx is HTML (the
// form again or the error page), never a Go panic's trace.
func checkPage(st int, h http.Header, page string) error {
	switch {
	case st == 503 && h.Get("Retry-After") != "":
		return nil
	case st >= 500:
		return fmt.Errorf("status %d: %.300s", st, page)
	case st >= 400 && !strings.HasPrefix(h.Get("Content-Type"), "text/html"):
		return fmt.Errorf("status %d with Content-Type %q: %.200s", st, h.Get("Content-Type"), page)
	case strings.Contains(page, "goroutine ") || strings.Contains(page, "panic("):
		return fmt.Errorf("status %d shows a trace: %.300s", st, page)
	}
	return nil
}
