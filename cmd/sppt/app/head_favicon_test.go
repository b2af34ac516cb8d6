package app_test

import (
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
)

// Browsers ask for /favicon.ico on every site, and monitors and link checkers
// send HEAD: both answer 200 like the GET they stand for.
func TestFaviconAndHeadRequests(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	r := in.Do(t, "GET", "/favicon.ico", "", nil)
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "image/") || len(r.Body) < 16 {
		t.Fatalf("GET /favicon.ico: %d %q (%d bytes)", r.Status, r.Header.Get("Content-Type"), len(r.Body))
	}
	for _, path := range []string{"/", "/offices/JKS", "/login", "/favicon.ico", "/static/app.css", "/healthz"} {
		get := in.Do(t, "GET", path, "", nil)
		head := in.Do(t, "HEAD", path, "", nil)
		if head.Status != 200 || get.Status != 200 {
			t.Errorf("%s: GET %d, HEAD %d; want 200 both", path, get.Status, head.Status)
		}
		if len(head.Body) != 0 {
			t.Errorf("HEAD %s sent a body of %d bytes", path, len(head.Body))
		}
		if ct := head.Header.Get("Content-Type"); ct != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s: Content-Type %q, GET has %q", path, ct, get.Header.Get("Content-Type"))
		}
	}
}
