package office_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/internal/clock"
)

const cookieName = "sppt_officer" // officer.OfficerCookie

// An office admin opens only their own office; the national admin any,
// and the holidays page. From 1 October, a next year without holidays is
// announced on the admin pages.
func TestOfficeScopeAndMissingYearNotice(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(time.Date(2026, 10, 5, 2, 0, 0, 0, time.UTC))})
	admin := "Cookie"
	adminVal := cookieName + "=" + in.OfficerToken(t, "JKS", "jks.offadmin", "admin")
	national := cookieName + "=" + in.ScopeToken(t, "jks.offnational", "", "national_admin")
	if r := in.Do(t, "GET", "/backoffice/office", "", nil, admin, adminVal); r.Status != 200 || !strings.Contains(string(r.Body), `id="calendar-notice"`) ||
		!strings.Contains(string(r.Body), "2027") {
		t.Errorf("admin's own office: %d, notice missing: %.300s", r.Status, r.Body)
	}
	if r := in.Do(t, "GET", "/backoffice/office?office=DPS", "", nil, admin, adminVal); r.Status != 403 {
		t.Errorf("admin of JKS opening DPS: %d", r.Status)
	}
	if r := in.Do(t, "GET", "/backoffice/holidays", "", nil, admin, adminVal); r.Status != 403 {
		t.Errorf("admin opening the holidays: %d", r.Status)
	}
	if r := in.Do(t, "GET", "/backoffice/office?office=DPS", "", nil, admin, national); r.Status != 200 || !strings.Contains(string(r.Body), "Asia/Makassar") {
		t.Errorf("national admin opening DPS: %d", r.Status)
	}
	r := in.Do(t, "GET", "/backoffice/holidays?year=2026", "", nil, admin, national)
	if r.Status != 200 || !strings.Contains(string(r.Body), "Hari Kemerdekaan Republik Indonesia") || !strings.Contains(string(r.Body), `id="calendar-notice"`) {
		t.Errorf("holidays 2026: %d %.300s", r.Status, r.Body)
	}
}

// The admin pages in Chromium: an office admin changes the seats from next
// Monday and sees a refused value named; the national admin adds and
// removes a holiday. Every state passes axe.
func TestOfficeAdminPagesInBrowser(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	in.OfficerToken(t, "JKS", "jks.pgadmin", "admin")
	in.ScopeToken(t, "jks.pgnational", "", "national_admin")
	signIn := func(ctx context.Context, user string) {
		do(t, ctx, user, chromedp.Navigate(in.URL+"/backoffice/login"), chromedp.WaitVisible("#username"),
			chromedp.SendKeys("#username", user), chromedp.SendKeys("#password", "correct-horse-battery"),
			chromedp.Submit("#password"), chromedp.WaitVisible("#officer-who"))
	}
	ctx := browsertest.New(t)
	signIn(ctx, "jks.pgadmin")
	do(t, ctx, "office page", chromedp.Navigate(in.URL+"/backoffice/office"), chromedp.WaitVisible("#f-online"))
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "save", chromedp.SetValue("#f-effective_from", "2026-03-09"), chromedp.SetValue("#f-online", "mon-fri 90"),
		chromedp.Submit("#f-online"), chromedp.WaitVisible("#office-saved"))
	browsertest.AssertNoAxeViolations(t, ctx)
	var online []int
	if err := in.Pool.QueryRow(context.Background(), `SELECT online FROM office_schedules WHERE office = 'JKS' AND effective_from = '2026-03-09'`).Scan(&online); err != nil ||
		len(online) != 7 || online[0] != 90 || online[5] != 0 {
		t.Fatalf("saved version: %v %v", online, err)
	}
	do(t, ctx, "refused", chromedp.SetValue("#f-hours", "mon-fri 16:00-08:00"), chromedp.Submit("#f-hours"),
		chromedp.WaitVisible(".error-summary"), chromedp.WaitVisible("#e-hours"))
	browsertest.AssertNoAxeViolations(t, ctx)

	nctx := browsertest.New(t)
	signIn(nctx, "jks.pgnational")
	do(t, nctx, "holidays", chromedp.Navigate(in.URL+"/backoffice/holidays?year=2027"), chromedp.WaitVisible("#holidays-none"))
	browsertest.AssertNoAxeViolations(t, nctx)
	do(t, nctx, "add", chromedp.SetValue("#h-day", "2027-01-01"), chromedp.SetValue("#h-name", "Tahun Baru 2027 Masehi"),
		chromedp.Submit("#h-name"), chromedp.WaitVisible("#holiday-saved"), chromedp.WaitVisible("#holidays"))
	browsertest.AssertNoAxeViolations(t, nctx)
	do(t, nctx, "remove", chromedp.Click(`#holidays button[type="submit"]`), chromedp.WaitVisible("#holiday-removed"))
	do(t, nctx, "refused holiday", chromedp.SetValue("#h-day", "2027-02-01"), chromedp.SetValue("#h-kind", "office"),
		chromedp.SetValue("#h-name", "Renovasi"), chromedp.Submit("#h-name"), chromedp.WaitVisible(".error-summary"))
	browsertest.AssertNoAxeViolations(t, nctx)
	if n := count(t, in, `SELECT count(*) FROM audit_log WHERE action IN ('office.set', 'holiday.set', 'holiday.remove')`); n != 3 {
		t.Errorf("audit entries: %d", n)
	}
}

func count(t *testing.T, in *apptest.Instance, sql string) int {
	t.Helper()
	var n int
	if err := in.Pool.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
		t.Fatalf("%s: %v on %.1500s", what, err, body)
	}
}
