package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// The office head signs in and reads the SLA dashboard (with a late
// application and the nightly chain check), the daily recap (its SVG chart
// loaded) and the audit trail, in Indonesian and then English; every page
// passes axe.
func TestHeadReadsDashboardRecapAndAudit(t *testing.T) {
	t.Parallel()
	monday := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC) // 09:00 WIB
	clk := clock.NewFake(monday)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	ctx := context.Background()
	const no = "JKS-20260302-A001"
	in.AddApplicant(t, application.New{No: no, Office: "JKS", Service: civil.ServiceNew, NIK: "3273056010900001",
		FullName: "Siti Aminah", BirthDate: time.Date(1990, 10, 20, 0, 0, 0, 0, time.UTC), Sex: "F", Phone: "+6281234567890"},
		civil.StageQueued, monday)
	if _, err := in.App.Backoffice.Stages.Move(ctx, application.Request{No: no, To: civil.StageDesk,
		Actor: application.Actor{Kind: application.KindOfficer, ID: "1", Office: "JKS", Roles: []string{"desk"}}}); err != nil {
		t.Fatal(err)
	}
	clk.Set(monday.Add(5 * 24 * time.Hour)) // Saturday: due Thursday, now late
	if _, err := in.App.SLA.SweepNow(ctx); err != nil {
		t.Fatal(err)
	}
	if err := pgx.BeginFunc(ctx, in.Pool, func(tx pgx.Tx) error {
		return audit.Append(ctx, tx, audit.Entry{Office: "JKS", At: clk.Now(), Actor: "officer:1", Action: "office.running_text",
			Subject: "office:JKS", Data: map[string]string{"text": "Hubungi 081234567890 atau NIK 3273056010900001"}})
	}); err != nil {
		t.Fatal(err)
	}
	if err := in.App.AuditCheck(ctx, clk.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := officer.AddOfficer(ctx, in.Pool, officer.NewOfficer{Username: "jks.kakanim", Password: "correct-horse-battery",
		Office: "JKS", Roles: []string{"validator"}}, "test", clk.Now()); err != nil {
		t.Fatal(err)
	}

	b := browsertest.New(t)
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		tctx, cancel := context.WithTimeout(b, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(tctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(b, chromedp.Evaluate[string](`document.querySelector(`+"`"+sel+"`"+`)?.textContent ?? ""`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	run("sign in", chromedp.Navigate(in.URL+"/backoffice/login"), chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "jks.kakanim"), chromedp.SendKeys("#password", "correct-horse-battery"),
		chromedp.Submit("#password"), chromedp.WaitVisible("#officer-who"))

	run("dashboard", chromedp.Navigate(in.URL+"/backoffice/sla"), chromedp.WaitVisible("#sla-counts"))
	if text("#sla-late") != "1" || !strings.Contains(text("#sla-late-list"), no) || !strings.Contains(text("#audit-check"), "utuh") {
		t.Fatalf("dashboard: late %q list %q audit %q", text("#sla-late"), text("#sla-late-list"), text("#audit-check"))
	}
	browsertest.AssertNoAxeViolations(t, b)

	run("recap", chromedp.Navigate(in.URL+"/backoffice/reports?date=2026-03-02"), chromedp.WaitVisible("#report-chart"))
	loaded, err := chromedp.Run(b, chromedp.Poll[bool](`(() => { const i = document.getElementById("report-chart"); return i.complete && i.naturalWidth > 0 })()`,
		chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil || !loaded || text("#fig-applications") != "1" {
		t.Fatalf("recap: chart loaded %v (%v), applications %q", loaded, err, text("#fig-applications"))
	}
	browsertest.AssertNoAxeViolations(t, b)

	run("audit", chromedp.Navigate(in.URL+"/backoffice/audit"), chromedp.WaitVisible("#audit-entries"))
	entries := text("#audit-entries")
	if !strings.Contains(entries, "sla.late") || !strings.Contains(entries, "application.move") ||
		strings.Contains(entries, "081234567890") || strings.Contains(entries, "3273056010900001") {
		t.Fatalf("audit trail (no PII in clear): %.1500s", entries)
	}
	browsertest.AssertNoAxeViolations(t, b)

	run("audit filtered, English", chromedp.Navigate(in.URL+"/backoffice/audit?action=sla.&lang=en"), chromedp.WaitVisible("#audit-entries"))
	if e := text("#audit-entries"); strings.Contains(e, "application.move") || !strings.Contains(text("h1"), "Every transaction") {
		t.Fatalf("filter by action prefix: %.800s", e)
	}
	browsertest.AssertNoAxeViolations(t, b)
	run("dashboard, English", chromedp.Navigate(in.URL+"/backoffice/sla"), chromedp.WaitVisible("#sla-counts"))
	browsertest.AssertNoAxeViolations(t, b)
}
