// Package browsertest runs pages in a real headless Chromium for tests, and
// checks them for accessibility problems with axe-core and for what the
// Content-Security-Policy blocked (csp.go).
//
// Use it only from tests:
//
//	ctx := browsertest.New(t)
//	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
//		t.Fatal(err)
//	}
//	browsertest.AssertNoAxeViolations(t, ctx)
//
// The browser is /usr/bin/chromium, or the binary that the environment
// variable CHROMIUM_PATH names. When it is missing, the test is skipped,
// unless SPPT_REQUIRE_BROWSER is set (for example to 1 in CI): then the test
// fails.
//
// axe-core comes from npm: run `npm ci --prefix .tools` (or `npm install
// --prefix .tools`) at the root of the repository, or point AXE_PATH at an
// axe.min.js file.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// DefaultChromiumPath is the browser that New starts when CHROMIUM_PATH is
// not set.
const DefaultChromiumPath = "/usr/bin/chromium"

// Timeout is the longest time that one browser of New lives. When it ends,
// the browser stops and every later action fails. It only stops a browser
// that hangs: a long journey with many axe-core runs takes minutes on a
// loaded CI machine (two cores, other packages testing with -race), and a
// test that is slow there is not wrong. Bound single steps with StepTimeout.
const Timeout = 10 * time.Minute

// StepTimeout bounds one step of a browser test (a navigation and what it
// waits for, one axe-core run): generous, so that only a page that never
// gets there fails, and it fails naming the step.
const StepTimeout = time.Minute

// axeRelPath is where `npm install --prefix .tools` puts axe-core, relative to
// the root of the repository.
var axeRelPath = filepath.Join(".tools", "node_modules", "axe-core", "axe.min.js")

// browserRequired reports whether a missing browser or a missing axe-core must
// fail the test and not skip it.
func browserRequired() bool {
	v, ok := os.LookupEnv("SPPT_REQUIRE_BROWSER")
	return ok && v != "" && v != "0" && !strings.EqualFold(v, "false")
}

// skipOrFail skips the test, or fails it when SPPT_REQUIRE_BROWSER is set.
func skipOrFail(t testing.TB, msg string) {
	t.Helper()
	if browserRequired() {
		t.Fatalf("%s (SPPT_REQUIRE_BROWSER is set, so this is a failure)", msg)
	}
	t.Skipf("%s; set SPPT_REQUIRE_BROWSER=1 to make this a failure", msg)
}

// chromiumPath returns the browser binary to start.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	return DefaultChromiumPath
}

// New starts a headless Chromium with a fresh profile and returns a chromedp
// context for one tab of it. Run actions on it with chromedp.Run or
// chromedp.Do. The browser lives at most Timeout, and stops when the test
// ends.
//
// When the browser binary is missing, New skips the test, or fails it when
// SPPT_REQUIRE_BROWSER is set.
//
// extra options go to the browser after the defaults, e.g.
// chromedp.Flag("autoplay-policy", "no-user-gesture-required") for a lobby TV.
func New(t testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()

	path := chromiumPath()
	bin, err := exec.LookPath(path)
	if err != nil {
		skipOrFail(t, fmt.Sprintf("browsertest: no Chromium at %q (%v); install it (apt-get install chromium) or set CHROMIUM_PATH", path, err))
	}

	dir, err := os.MkdirTemp("", "sppt-browsertest-")
	if err != nil {
		t.Fatalf("browsertest: make a profile directory: %v", err)
	}
	// Cleanups run last in, first out: this one runs after the browser stops.
	t.Cleanup(func() { removeAll(t, dir) })

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 900),
	)
	opts = append(opts, extra...)

	// The whole browser lives inside this timeout. It is the parent of the
	// allocator, so the first Run below binds the browser to it.
	root, cancelRoot := context.WithTimeout(context.Background(), Timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(root, opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)

	t.Cleanup(func() {
		// Close the browser gracefully, but do not wait for ever.
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = chromedp.Cancel(cctx)
		cancelCtx()
		cancelAlloc()
		cancelRoot()
	})

	// Start the browser and the tab now, so that a broken browser fails here
	// with a clear message and not in the first action of the test.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: start %s: %v", bin, err)
	}
	WatchCSP(ctx)
	// Registered after the browser's own cleanup, so it runs before it.
	t.Cleanup(func() {
		AssertNoCSPViolations(t, ctx)
		cspLogs.Delete(chromedp.FromContext(ctx))
	})
	return ctx
}

// NewTab opens another tab in the browser of ctx (a context of New): it
// shares the browser's cookies, as a second tab of one person would. The
// tab is started here, with a context that does not end early: chromedp
// binds a tab to the context of its first action, so a first action with a
// step's timeout would close the tab when that step ends. The tab closes
// when the test ends.
func NewTab(t testing.TB, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("browsertest: open a tab: %v", err)
	}
	return tab
}

// removeAll removes the profile directory. Child processes of Chromium can
// still write in it for a short time after the browser stops, so it retries.
func removeAll(t testing.TB, dir string) {
	var err error
	for range 50 {
		if err = os.RemoveAll(dir); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("browsertest: remove %s: %v", dir, err)
}

// Screenshot saves a PNG of the whole page, beyond the viewport, at path. It
// makes the parent directories. Use it to look at a page while debugging.
func Screenshot(ctx context.Context, path string) error {
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return fmt.Errorf("browsertest: screenshot: %w", err)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("browsertest: screenshot: %w", err)
		}
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		return fmt.Errorf("browsertest: screenshot: %w", err)
	}
	return nil
}

// ErrAxeNotFound is returned by Axe when it cannot find axe.min.js.
var ErrAxeNotFound = errors.New("browsertest: axe-core not found")

// AxePath returns the path of axe.min.js: AXE_PATH when set, else the first
// .tools/node_modules/axe-core/axe.min.js found in the working directory or
// one of its parents.
func AxePath() (string, error) {
	if p := os.Getenv("AXE_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%w: AXE_PATH=%q: %w", ErrAxeNotFound, p, err)
		}
		return p, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrAxeNotFound, err)
	}
	for dir := wd; ; {
		p := filepath.Join(dir, axeRelPath)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", fmt.Errorf("%w: no %s in %s or its parents; run `npm ci --prefix .tools` at the repository root, or set AXE_PATH",
		ErrAxeNotFound, axeRelPath, wd)
}

var axeCache sync.Map // path → string (the source of axe.min.js)

func axeSource() (string, error) {
	path, err := AxePath()
	if err != nil {
		return "", err
	}
	if src, ok := axeCache.Load(path); ok {
		return src.(string), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrAxeNotFound, err)
	}
	axeCache.Store(path, string(b))
	return string(b), nil
}

// Violation is one axe-core rule that the page breaks.
type Violation struct {
	ID      string          `json:"id"`      // rule id, e.g. "image-alt"
	Impact  string          `json:"impact"`  // minor, moderate, serious or critical
	Help    string          `json:"help"`    // one-line description of the rule
	HelpURL string          `json:"helpUrl"` // Deque's page about the rule
	Nodes   []ViolationNode `json:"nodes"`
}

// ViolationNode is one element that breaks a rule.
type ViolationNode struct {
	// Target holds the CSS selectors of the element. There is more than one
	// when the element is inside an iframe or a shadow root.
	Target []string `json:"target"`
	HTML   string   `json:"html"`
	// FailureSummary tells what to fix.
	FailureSummary string `json:"failureSummary"`
}

// String formats the violation on a few lines, one per element.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s]: %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    - %s", strings.Join(n.Target, " "))
		if n.HTML != "" {
			fmt.Fprintf(&b, "\n      %s", truncate(n.HTML, 200))
		}
		if n.FailureSummary != "" {
			fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(n.FailureSummary, "\n", "\n      "))
		}
	}
	return b.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// AxeTags are the rule tags that Axe runs: WCAG 2.0, 2.1 and 2.2, levels A
// and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeRunJS runs axe-core on the whole document and returns plain data. Target
// selectors of elements in iframes or shadow roots are arrays in axe-core;
// they are flattened to strings here.
const axeRunJS = `axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({
      target: n.target.map(s => Array.isArray(s) ? s.join(' >>> ') : String(s)),
      html: n.html || '',
      failureSummary: n.failureSummary || ''
    }))
  })))`

// Axe injects axe-core into the current page of ctx, runs it with the WCAG
// 2.x A and AA rules (AxeTags), and returns the violations. It returns an
// error wrapping ErrAxeNotFound when axe.min.js cannot be found. One run may
// take up to StepTimeout.
func Axe(ctx context.Context) ([]Violation, error) {
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object' && typeof window.axe.run === 'function'`))
	if err != nil {
		return nil, fmt.Errorf("browsertest: axe: %w", err)
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src+"\n;void 0")); err != nil {
			return nil, fmt.Errorf("browsertest: inject axe-core: %w", err)
		}
	}
	tags := `['` + strings.Join(AxeTags, `','`) + `']`
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](fmt.Sprintf(axeRunJS, tags), chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("browsertest: run axe-core: %w", err)
	}
	return vs, nil
}

// AssertNoAxeViolations runs Axe on the current page of ctx and fails the
// test with a readable list when it finds violations. When axe-core is not
// installed, it skips the test, or fails it when SPPT_REQUIRE_BROWSER is set.
func AssertNoAxeViolations(t testing.TB, ctx context.Context) {
	t.Helper()
	vs, err := Axe(ctx)
	if errors.Is(err, ErrAxeNotFound) {
		skipOrFail(t, err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		return
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	var b strings.Builder
	fmt.Fprintf(&b, "axe-core found %d accessibility violation(s) on %s:", len(vs), loc)
	for i, v := range vs {
		fmt.Fprintf(&b, "\n%d. %s", i+1, v)
	}
	t.Error(b.String())
}
