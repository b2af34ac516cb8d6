package frontend

import (
	"io/fs"
	"regexp"
	"testing"
)

// Every response carries a Content-Security-Policy with script-src 'self'
// and style-src 'self' (internal/httpx.CSP): a template holding an inline
// script, an inline style or an on…= handler would be blocked by the
// browser. Scripts and styles live in static/. A <script type=
// "application/json"> data block is not run, so it is allowed.
func TestTemplatesHoldNoInlineScriptOrStyle(t *testing.T) {
	inlineScript := regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script>`)
	checks := []struct {
		what string
		re   *regexp.Regexp
	}{
		{"a style attribute", regexp.MustCompile(`(?i)<[^>]*\sstyle\s*=`)},
		{"a <style> element", regexp.MustCompile(`(?i)<style\b`)},
		{"an event-handler attribute", regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)},
		{"a javascript: URL", regexp.MustCompile(`(?i)javascript:`)},
	}
	err := fs.WalkDir(FS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(FS, path)
		if err != nil {
			return err
		}
		s := string(raw)
		for _, m := range inlineScript.FindAllStringSubmatch(s, -1) {
			attrs, body := m[1], m[2]
			if regexp.MustCompile(`(?i)\ssrc\s*=`).MatchString(attrs) && regexp.MustCompile(`^\s*$`).MatchString(body) {
				continue
			}
			if regexp.MustCompile(`(?i)\stype\s*=\s*"application/json"`).MatchString(attrs) {
				continue
			}
			t.Errorf("%s: an inline script (CSP script-src 'self' blocks it): %.120s", path, m[0])
		}
		for _, c := range checks {
			if loc := c.re.FindStringIndex(s); loc != nil {
				t.Errorf("%s: %s (CSP blocks it): %.120s", path, c.what, s[loc[0]:])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
