package browsertest

import (
	"context"
	"strings"
	"sync"
	"testing"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"
)

// SPPT serves every page with a strict Content-Security-Policy
// (internal/httpx.CSP). A page that breaks it does not fail by itself: the
// browser just skips the blocked script or style and says so on the
// console. New watches the console of its tab for these messages and fails
// the test at its end when there were any.

// cspLogs holds each watched tab's CSP messages, by chromedp context.
var cspLogs sync.Map // *chromedp.Context → *cspLog

type cspLog struct {
	mu   sync.Mutex
	msgs []string
}

// WatchCSP starts collecting the CSP violations that the browser reports on
// the console of ctx's tab (New does it for its tab).
func WatchCSP(ctx context.Context) {
	c := chromedp.FromContext(ctx)
	if c == nil {
		return
	}
	l := &cspLog{}
	if _, loaded := cspLogs.LoadOrStore(c, l); loaded {
		return
	}
	_ = chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*cdplog.EventEntryAdded)
		if !ok || e.Entry == nil || !strings.Contains(e.Entry.Text, "Content Security Policy") {
			return
		}
		l.mu.Lock()
		l.msgs = append(l.msgs, e.Entry.URL+": "+e.Entry.Text)
		l.mu.Unlock()
	})
}

// TakeCSPViolations returns the CSP violations seen on ctx's tab since the
// last call, and forgets them.
func TakeCSPViolations(ctx context.Context) []string {
	v, ok := cspLogs.Load(chromedp.FromContext(ctx))
	if !ok {
		return nil
	}
	l := v.(*cspLog)
	l.mu.Lock()
	defer l.mu.Unlock()
	msgs := l.msgs
	l.msgs = nil
	return msgs
}

// AssertNoCSPViolations fails the test when ctx's tab reported CSP
// violations (since the last Take).
func AssertNoCSPViolations(t testing.TB, ctx context.Context) {
	t.Helper()
	if msgs := TakeCSPViolations(ctx); len(msgs) > 0 {
		t.Errorf("the browser blocked %d thing(s) under the Content-Security-Policy:\n  %s", len(msgs), strings.Join(msgs, "\n  "))
	}
}
