package browsertest_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/internal/browsertest"
)

const goodPage = `<!doctype html>
<html lang="id">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Uji aksesibilitas</title></head>
<body>
<header><a href="#main">Langsung ke isi utama</a></header>
<main id="main">
<h1>Halaman yang aksesibel</h1>
<p>Gambar punya teks alternatif dan setiap isian punya label.</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Logo SPPT" width="1" height="1">
<form>
  <label for="nik">NIK</label>
  <input id="nik" name="nik" inputmode="numeric" autocomplete="off">
  <button type="submit">Kirim</button>
</form>
</main>
</body>
</html>`

const badPage = `<!doctype html>
<html lang="id">
<head><meta charset="utf-8"><title>Halaman rusak</title></head>
<body>
<main>
<h1>Gambar tanpa alt</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="1" height="1">
</main>
</body>
</html>`

// cspPage breaks its CSP twice: an inline script and an inline style.
const cspPage = `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>CSP</title></head>
<body><main><h1 style="color: red">CSP</h1><script>document.title = "ran";</script></main></body></html>`

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	mux.HandleFunc("GET /good", page(goodPage))
	mux.HandleFunc("GET /bad", page(badPage))
	mux.HandleFunc("GET /csp", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'")
		page(cspPage)(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// requireAxe skips (or fails, with SPPT_REQUIRE_BROWSER) when axe-core is not
// installed, the same way the harness does.
func requireAxe(t *testing.T) {
	t.Helper()
	if _, err := browsertest.AxePath(); err != nil {
		if v := os.Getenv("SPPT_REQUIRE_BROWSER"); v != "" && v != "0" && !strings.EqualFold(v, "false") {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

func TestHarness(t *testing.T) {
	requireAxe(t)
	srv := newServer(t)
	ctx := browsertest.New(t)

	t.Run("accessible page has no violations", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/good")); err != nil {
			t.Fatal(err)
		}
		h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
		if err != nil {
			t.Fatal(err)
		}
		if h1 != "Halaman yang aksesibel" {
			t.Errorf("h1 = %q, want %q", h1, "Halaman yang aksesibel")
		}
		vs, err := browsertest.Axe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 0 {
			t.Errorf("want no violations, got %d:\n%v", len(vs), vs)
		}
		browsertest.AssertNoAxeViolations(t, ctx)

		// A second run on the same page reuses the injected axe-core.
		if _, err := browsertest.Axe(ctx); err != nil {
			t.Fatalf("second Axe run: %v", err)
		}
	})

	t.Run("image without alt is a violation", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/bad")); err != nil {
			t.Fatal(err)
		}
		vs, err := browsertest.Axe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) == 0 {
			t.Fatal("want at least one violation, got none: the harness cannot fail")
		}
		var imageAlt *browsertest.Violation
		for i := range vs {
			if vs[i].ID == "image-alt" {
				imageAlt = &vs[i]
			}
		}
		if imageAlt == nil {
			t.Fatalf("want an image-alt violation, got %v", vs)
		}
		if imageAlt.Impact == "" || imageAlt.Help == "" || len(imageAlt.Nodes) == 0 || len(imageAlt.Nodes[0].Target) == 0 {
			t.Errorf("image-alt violation lacks details: %+v", *imageAlt)
		}
		if got := imageAlt.Nodes[0].Target[0]; got != "img" {
			t.Errorf("image-alt target = %q, want %q", got, "img")
		}

		// AssertNoAxeViolations must report it as a test error.
		rec := &recorder{TB: t}
		browsertest.AssertNoAxeViolations(rec, ctx)
		if len(rec.errors) != 1 {
			t.Fatalf("AssertNoAxeViolations reported %d errors, want 1", len(rec.errors))
		}
		msg := rec.errors[0]
		for _, want := range []string{"image-alt", "/bad", "img"} {
			if !strings.Contains(msg, want) {
				t.Errorf("report does not mention %q:\n%s", want, msg)
			}
		}
		t.Logf("the report of a failing page reads:\n%s", msg)
	})

	t.Run("a CSP violation is caught", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/csp")); err != nil {
			t.Fatal(err)
		}
		var got []string
		for deadline := time.Now().Add(5 * time.Second); len(got) < 2 && time.Now().Before(deadline); {
			got = append(got, browsertest.TakeCSPViolations(ctx)...)
			time.Sleep(50 * time.Millisecond)
		}
		if len(got) < 2 {
			t.Fatalf("want the inline script and the inline style reported, got %q", got)
		}
		rec := &recorder{TB: t}
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/csp")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		browsertest.AssertNoCSPViolations(rec, ctx)
		if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "Content Security Policy") {
			t.Errorf("AssertNoCSPViolations reported %q", rec.errors)
		}
	})

	t.Run("screenshot is a PNG", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "shots", "bad.png")
		if err := browsertest.Screenshot(ctx, path); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("%s is not a PNG", path)
		}
	})
}

func TestAxePathFromEnv(t *testing.T) {
	t.Setenv("AXE_PATH", filepath.Join(t.TempDir(), "missing", "axe.min.js"))
	if _, err := browsertest.AxePath(); !errors.Is(err, browsertest.ErrAxeNotFound) {
		t.Errorf("AxePath with a missing AXE_PATH: err = %v, want ErrAxeNotFound", err)
	}

	p := filepath.Join(t.TempDir(), "axe.min.js")
	if err := os.WriteFile(p, []byte("/* axe */"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AXE_PATH", p)
	got, err := browsertest.AxePath()
	if err != nil || got != p {
		t.Errorf("AxePath() = %q, %v; want %q", got, err, p)
	}
}

// recorder is a testing.TB that keeps what Error reports instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Error(args ...any) { r.errors = append(r.errors, fmt.Sprint(args...)) }

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
