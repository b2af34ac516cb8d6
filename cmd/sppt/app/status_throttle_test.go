package app_test

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// Issue 14, finding 1: the public status lookup cannot be used to search for
// a birth date. Wrong tries are limited per application number (10 a day,
// from any address) and per client (20 per 15 minutes, on any numbers); a
// wrong number and a wrong birth date stay the same 404 and are throttled
// alike. Before the fix the eleventh try, right or wrong, was simply answered.
func TestStatusLookupThrottle(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	in.AddApplication(t, "JKS-260302-0001", "", civil.StagePrinting, apptest.Opening)
	in.AddApplication(t, "JKS-260302-0002", "", civil.StageDesk, apptest.Opening)
	status := func(from *apptest.Instance, no, birth string, headers ...string) apptest.Response {
		return from.Do(t, "GET", "/api/v1/applications/"+no+"/status?birth_date="+birth, "", nil, headers...)
	}
	wantLimited := func(r apptest.Response, what string) {
		t.Helper()
		secs, _ := strconv.Atoi(r.Header.Get("Retry-After"))
		if r.Status != 429 || r.ErrorCode() != "status_rate_limited" || secs < 1 || !strings.Contains(string(r.Body), `"message":"`) {
			t.Fatalf("%s: %d Retry-After %q %s", what, r.Status, r.Header.Get("Retry-After"), r.Body)
		}
	}

	// Ten wrong birth dates for one number, from ten addresses: each the one 404.
	var first string
	for i := 0; i < 10; i++ {
		r := status(in.From(fmt.Sprintf("127.0.1.%d", i+1)), "JKS-260302-0001", fmt.Sprintf("1990-01-%02d", i+1))
		if first == "" {
			first = string(r.Body)
		}
		if r.Status != 404 || string(r.Body) != first {
			t.Fatalf("wrong birth date %d: %d %s", i+1, r.Status, r.Body)
		}
	}
	// Then the number is closed for the day, even to the right birth date from a fresh address.
	right := status(in.From("127.0.1.50"), "JKS-260302-0001", "1990-10-20")
	wantLimited(right, "right birth date after 10 wrong ones")
	if secs, _ := strconv.Atoi(right.Header.Get("Retry-After")); secs != 24*3600 {
		t.Fatalf("Retry-After %d, want a day", secs)
	}
	// A number that does not exist looks the same: the same 404, the same 429.
	for i := 0; i < 10; i++ {
		r := status(in.From(fmt.Sprintf("127.0.2.%d", i+1)), "JKS-260302-0999", fmt.Sprintf("1990-01-%02d", i+1))
		if r.Status != 404 || string(r.Body) != first {
			t.Fatalf("unknown number, try %d: %d %s", i+1, r.Status, r.Body)
		}
	}
	unknown := status(in.From("127.0.2.50"), "JKS-260302-0999", "1990-10-20")
	if string(unknown.Body) != string(right.Body) || unknown.Header.Get("Retry-After") != right.Header.Get("Retry-After") {
		t.Fatalf("unknown number's 429 %s differs from a real one's %s", unknown.Body, right.Body)
	}
	if r := status(in.From("127.0.2.50"), "JKS-260302-0999", "1990-10-20", "Accept-Language", "en"); !strings.Contains(string(r.Body), "Too many") {
		t.Fatalf("English message: %s", r.Body)
	}

	// One client trying many numbers: 20 wrong tries, then 429 on any number.
	scanner := in.From("127.0.3.1")
	for i := 0; i < 20; i++ {
		if r := status(scanner, fmt.Sprintf("JKS-260302-%04d", 100+i), "1990-10-20"); r.Status != 404 {
			t.Fatalf("scan %d: %d %s", i+1, r.Status, r.Body)
		}
	}
	wantLimited(status(scanner, "JKS-260302-0002", "1990-10-20"), "21st try from one client")
	// The page's form is the same lookup: the closed number is closed there too.
	_, h, _ := apptest.Page(t, "GET", in.URL+"/status", "", nil)
	csrf := apptest.Between(h.Get("Set-Cookie"), "sppt_csrf=", ";")
	code, h, page := apptest.Page(t, "POST", in.URL+"/status", "sppt_csrf="+csrf,
		url.Values{"_csrf": {csrf}, "application_no": {"JKS-260302-0001"}, "birth_date": {"20-10-1990"}})
	if code != 429 || h.Get("Retry-After") == "" || !strings.Contains(page, "Terlalu banyak") {
		t.Fatalf("status form on a closed number: %d Retry-After %q", code, h.Get("Retry-After"))
	}

	// Right answers do not count: an applicant may look as often as they like.
	owner := in.From("127.0.4.1")
	for i := 0; i < 25; i++ {
		if r := status(owner, "JKS-260302-0002", "1990-10-20"); r.Status != 200 || !strings.Contains(string(r.Body), `"stage":"desk"`) {
			t.Fatalf("lookup %d by the applicant: %d %s", i+1, r.Status, r.Body)
		}
	}

	// A day later the number opens again.
	clk.Advance(24 * time.Hour)
	if r := status(in.From("127.0.1.50"), "JKS-260302-0001", "1990-10-20"); r.Status != 200 {
		t.Fatalf("a day later: %d %s", r.Status, r.Body)
	}
}
