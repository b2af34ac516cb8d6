package app_test

import (
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/config"
)

// /metrics tells outsiders routes, traffic and the Go runtime's state: in
// production it answers only a scraper that shows METRICS_TOKEN or calls
// from an address in METRICS_ALLOW, and nobody when neither is set.
func TestMetricsProtected(t *testing.T) {
	t.Parallel()
	db := apptest.DB(t)
	prod := apptest.Start(t, db, apptest.Options{Configure: func(c *config.Config) { c.Env = "production" }})
	for _, h := range [][]string{nil, {"Authorization", "Bearer anything"}} {
		if r := prod.Do(t, "GET", "/metrics", "", nil, h...); r.Status != 403 || r.ErrorCode() != "metrics_disabled" {
			t.Errorf("production without METRICS_TOKEN or METRICS_ALLOW (%v): %d %.200s", h, r.Status, r.Body)
		}
	}
}

func TestMetricsTokenAndAllowList(t *testing.T) {
	t.Parallel()
	db := apptest.DB(t)
	const token = "scraper-token-0123456789"
	tok := apptest.Start(t, db, apptest.Options{Configure: func(c *config.Config) { c.Env = "production"; c.MetricsToken = token }})
	if r := tok.Do(t, "GET", "/metrics", "", nil); r.Status != 401 || r.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("no token: %d %v", r.Status, r.Header)
	}
	if r := tok.Do(t, "GET", "/metrics", "", nil, "Authorization", "Bearer wrong-token-0123456789"); r.Status != 401 {
		t.Errorf("wrong token: %d", r.Status)
	}
	if r := tok.Do(t, "GET", "/metrics", token, nil); r.Status != 200 || !strings.Contains(string(r.Body), "sppt_http_requests_total") {
		t.Errorf("token: %d %.200s", r.Status, r.Body)
	}
	// The allow-list matches the connection's address, not a forwarded one.
	loop, _ := config.ParseAllow("127.0.0.0/8")
	other, _ := config.ParseAllow("10.0.0.0/8")
	allowed := apptest.Start(t, db, apptest.Options{Configure: func(c *config.Config) { c.Env = "production"; c.MetricsAllow = loop }})
	if r := allowed.Do(t, "GET", "/metrics", "", nil); r.Status != 200 {
		t.Errorf("from an allowed address: %d", r.Status)
	}
	denied := apptest.Start(t, db, apptest.Options{Configure: func(c *config.Config) { c.Env = "production"; c.MetricsAllow = other }})
	if r := denied.Do(t, "GET", "/metrics", "", nil, "X-Forwarded-For", "10.1.2.3"); r.Status != 403 {
		t.Errorf("from another address, claiming an allowed one: %d", r.Status)
	}
	// Development with nothing set: open, as before.
	if r := apptest.Start(t, db, apptest.Options{}).Do(t, "GET", "/metrics", "", nil); r.Status != 200 {
		t.Errorf("development: %d", r.Status)
	}
}
