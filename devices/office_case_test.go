package devices_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/ssetest"
)

// Office codes in addresses are case-insensitive on the devices' routes as
// on the portal's: the TV page redirects to the capitalised address (keeping
// the query), the API routes answer for the office as they are.
func TestOfficeCodeAnyCaseOnDeviceRoutes(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 10, 2)

	st, h, _ := apptest.Page(t, "GET", in.URL+"/tv/jks?lang=en", "", nil)
	if st != 301 || h.Get("Location") != "/tv/JKS?lang=en" {
		t.Errorf("/tv/jks: %d → %q, want 301 → /tv/JKS?lang=en", st, h.Get("Location"))
	}
	if st, h, _ := apptest.Page(t, "GET", in.URL+"/tv/Dps", "", nil); st != 301 || h.Get("Location") != "/tv/DPS" {
		t.Errorf("/tv/Dps: %d → %q", st, h.Get("Location"))
	}
	if st, _, body := apptest.Page(t, "GET", in.URL+"/tv/JKS", "", nil); st != 200 || !strings.Contains(body, "JKS") {
		t.Errorf("/tv/JKS: %d", st)
	}
	if st, _, _ := apptest.Page(t, "GET", in.URL+"/tv/xyz", "", nil); st != 301 && st != 404 {
		t.Errorf("/tv/xyz: %d", st)
	}
	if st, _, _ := apptest.Page(t, "GET", in.URL+"/tv/XYZ", "", nil); st != 404 {
		t.Errorf("/tv/XYZ: %d, want 404", st)
	}

	var q struct{ Office string }
	r := in.Do(t, "GET", "/api/v1/offices/jks/queue", "", nil)
	r.JSON(t, &q)
	if r.Status != 200 || q.Office != "JKS" {
		t.Errorf("/api/v1/offices/jks/queue: %d %s", r.Status, r.Body)
	}
	var next struct {
		Office string
		Next   map[string][]string
	}
	r = in.Do(t, "GET", "/api/v1/offices/Jks/next", "", nil)
	r.JSON(t, &next)
	if r.Status != 200 || next.Office != "JKS" {
		t.Errorf("/api/v1/offices/Jks/next: %d %s", r.Status, r.Body)
	}
	r = in.Do(t, "GET", "/api/v1/offices/jks/running-text", "", nil)
	if line := string(r.Body); r.Status != 200 || !strings.Contains(line, "JKS") || !strings.Contains(line, "2026-03-02") {
		t.Errorf("/api/v1/offices/jks/running-text: %d %q", r.Status, line)
	}
	feed := ssetest.Open(t, nil, in.URL+"/api/v1/offices/jks/feed")
	var snap struct{ Office string }
	if err := json.Unmarshal([]byte(feed.Must(t, "snapshot", 2*time.Second).Data), &snap); err != nil || snap.Office != "JKS" {
		t.Errorf("/api/v1/offices/jks/feed snapshot: %+v %v", snap, err)
	}
	for _, p := range []string{"queue", "next", "running-text", "feed"} {
		if r := in.Do(t, "GET", "/api/v1/offices/xyz/"+p, "", nil); r.Status != 404 {
			t.Errorf("/api/v1/offices/xyz/%s: %d, want 404", p, r.Status)
		}
	}
}
