package backoffice_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sppt/sppt/backoffice/exception"
	"github.com/sppt/sppt/backoffice/intake"
	"github.com/sppt/sppt/backoffice/network"
	"github.com/sppt/sppt/backoffice/office"
	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/backoffice/pickup"
	"github.com/sppt/sppt/backoffice/printing"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/backoffice/report"
	"github.com/sppt/sppt/backoffice/sla"
	"github.com/sppt/sppt/backoffice/validation"
	"github.com/sppt/sppt/backoffice/watchlist"
	"github.com/sppt/sppt/backoffice/worklist"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/devices"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/sms"
)

var (
	officerNavRe = regexp.MustCompile(`(?s)<nav class="actions officer-nav"[^>]*>(.*?)</nav>`)
	navLinkRe    = regexp.MustCompile(`<a class="[^"]*" href="([^"]+)"( aria-current="page")?>`)
)

// The menu is built from the pages each package declares, in order.
func TestOfficerMenuHoldsEveryPackagesPages(t *testing.T) {
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	want := map[string][]string{"/backoffice/queue": queue.Roles, "/backoffice/devices": devices.AdminRoles, sms.PagePath: sms.PageRoles,
		queue.TextPath: queue.TextRoles, officer.ListPath: officer.ListRoles, network.Path: network.Roles,
		queue.CapacityPath: queue.CapacityRoles, intake.MenuPage.Path: intake.Roles,
		exception.InboxPath: exception.PageRoles, watchlist.PagePath: watchlist.ReadRoles,
		sla.PagePath: sla.Roles, report.PagePath: report.Roles, report.AuditPath: report.AuditRoles,
		validation.PagePath: validation.Roles, pickup.PagePath: pickup.Roles, printing.PagePath: printing.PageRoles,
		office.Path: office.Roles, office.HolidaysPath: office.HolidayRoles}
	for _, l := range worklist.Lists {
		want[l.Path()] = l.Roles
	}
	for _, pg := range in.App.Backoffice.Menu {
		if !slices.Equal(pg.Roles, want[pg.Path]) {
			t.Errorf("%s: menu says roles %v, the page's package %v", pg.Path, pg.Roles, want[pg.Path])
		}
		delete(want, pg.Path)
	}
	if len(want) > 0 {
		t.Errorf("officer pages missing from the menu: %v", want)
	}
}

// For every role, every officer page either opens (200) or refuses (403),
// and the menu on each page that opens lists exactly the pages that open,
// the one shown marked aria-current="page".
func TestOfficerNavMatchesGuards(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, role := range auth.Roles {
		var tok string
		switch role {
		case "regional_head": // a region, not an office
			tok = in.ScopeToken(t, "jks.nav."+role, "DKI Jakarta", role)
		case "national_admin": // every office
			tok = in.ScopeToken(t, "jks.nav."+role, "", role)
		default:
			tok = in.OfficerToken(t, "JKS", "jks.nav."+role, role)
		}
		cookie := officer.OfficerCookie + "=" + tok
		var opens []string
		pages := map[string]string{}
		for _, pg := range in.App.Backoffice.Menu {
			r := in.Do(t, "GET", pg.Path, "", nil, "Cookie", cookie)
			switch r.Status {
			case 200:
				opens = append(opens, pg.Path)
				pages[pg.Path] = string(r.Body)
			case 403:
			default:
				t.Fatalf("%s opening %s: %d", role, pg.Path, r.Status)
			}
		}
		for path, body := range pages {
			m := officerNavRe.FindStringSubmatch(body)
			if m == nil {
				t.Errorf("%s on %s: no officer menu", role, path)
				continue
			}
			var links, current []string
			for _, l := range navLinkRe.FindAllStringSubmatch(m[1], -1) {
				links = append(links, l[1])
				if l[2] != "" {
					current = append(current, l[1])
				}
			}
			if !slices.Equal(links, opens) || !slices.Equal(current, []string{path}) {
				t.Errorf("%s on %s: menu %v (current %v), want %v (current %s)", role, path, links, current, opens, path)
			}
			if !strings.Contains(m[1], `action="/backoffice/logout"`) {
				t.Errorf("%s on %s: no sign-out in the menu", role, path)
			}
		}
		// /backoffice leads to the first page the role opens.
		req, _ := http.NewRequest("GET", in.URL+"/backoffice", nil)
		req.Header.Set("Cookie", cookie)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if len(opens) > 0 && resp.Header.Get("Location") != opens[0] {
			t.Errorf("%s: /backoffice leads to %q, want %q", role, resp.Header.Get("Location"), opens[0])
		}
	}
	// A page's script that has lost its sign-in gets 401 JSON, a browser the login form.
	if r := in.Do(t, "GET", sms.FiguresPath, "", nil, "Accept", "application/json"); r.Status != 401 || r.ErrorCode() != "unauthorized" {
		t.Errorf("figures without sign-in: %d %s", r.Status, r.Body)
	}
	req, _ := http.NewRequest("GET", in.URL+"/backoffice/devices", nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	if resp, err := noRedirect.Do(req); err != nil || resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/backoffice/login?next=") {
		t.Errorf("a browser without sign-in: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

// Signing in without a page in mind lands on the first page the officer's
// roles open: an admin, who cannot use the booth screen, gets the devices.
func TestLoginLandsOnOfficersFirstPage(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	in.OfficerToken(t, "JKS", "jks.navadmin", "admin")
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	login := in.Do(t, "GET", "/backoffice/login", "", nil)
	if !strings.Contains(string(login.Body), `name="next" value=""`) {
		t.Fatalf("login form without a page asked for: %.300s", login.Body)
	}
	resp, err := noRedirect.PostForm(in.URL+"/backoffice/login", map[string][]string{"username": {"jks.navadmin"}, "password": {"correct-horse-battery"}, "next": {""}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/backoffice/devices" {
		t.Fatalf("admin sign-in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
