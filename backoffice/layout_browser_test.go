package backoffice_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/network"
	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/sms"
)

// 09:00 WIB on Monday 2 March 2026.
var monday = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

// book inserts a booked booking with SQL (tests only; the quota package's
// own tests cover how bookings are made) and checks it in at the kiosk.
func book(t *testing.T, in *apptest.Instance, kiosk, code, nik, name string) string {
	t.Helper()
	_, err := in.Pool.Exec(context.Background(), `INSERT INTO bookings (code, office, day, service, nik, full_name, birth_date, sex,
		phone, status, created_at, updated_at) VALUES ($1, 'JKS', '2026-03-02', 'new', $2, $3, '1990-10-20', 'F', '+6281234567890', 'booked', $4, $4)`,
		code, nik, name, in.App.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	r := in.Do(t, "POST", "/api/v1/kiosk/checkin", kiosk, map[string]string{"booking_code": code, "nik": nik})
	var ck struct {
		ApplicationNo string `json:"application_no"`
	}
	r.JSON(t, &ck)
	if r.Status != 200 && r.Status != 201 || ck.ApplicationNo == "" {
		t.Fatalf("check-in %s: %d %s", code, r.Status, r.Body)
	}
	return ck.ApplicationNo
}

// landing is where each role arrives after signing in.
var landing = map[string]string{
	"desk": "/backoffice/queue", "pickup": "/backoffice/queue", "supervisor": "/backoffice/work/on-hold",
	"biometric": "/backoffice/work/biometric", "adjudicator": "/backoffice/work/adjudication",
	"cashier": "/backoffice/work/billing", "printer": "/backoffice/work/printing",
	"validator": "/backoffice/work/validation", "admin": "/backoffice/devices", "regional_head": network.Path,
	"national_admin": network.Path,
}

// do runs steps within 30 s (a loaded machine); a failure shows the page it stopped on.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, browsertest.StepTimeout)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Fatalf("%s: %v on %s: %.1500s", what, err, js(t, ctx, `location.href`), js(t, ctx, `document.body.innerText`))
	}
}

func js(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// Every officer role signs in and lands on a page of its own in the officer
// layout (name, office or region, menu, sign-out; no citizen chrome); a page
// of another role is the layout's 403 page with the menu and a way back.
// The booth screen shows who is being served; the office head sets the
// running text, which the LED endpoint then carries.
func TestEveryRoleLandsInOfficerLayout(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(monday)})
	in.SetQuota(t, "JKS", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), 10, 2)
	if err := in.App.Queue.SetBooth(context.Background(), "JKS", queue.Booth{Number: 1, Name: "Loket 1", Services: civil.OSSBoothServices}, "test"); err != nil {
		t.Fatal(err)
	}
	kiosk := in.DeviceToken(t, "JKS", "kiosk", "Kios Lobi")
	book(t, in, kiosk, "LAYOUT1A", "3273056010900001", "Siti Aminah")
	budi := book(t, in, kiosk, "LAYOUT2B", "3273056010900002", "Budi Santoso")
	// Budi's application goes where the adjudicator's list shows it, through the stage machine.
	for _, step := range []struct {
		to   civil.Stage
		role string
	}{{civil.StageDesk, "desk"}, {civil.StageBiometric, "desk"}, {civil.StageAdjudication, "biometric"}} {
		_, err := in.App.Backoffice.Stages.Move(context.Background(), application.Request{No: budi, To: step.to,
			Actor: application.Actor{Kind: application.KindOfficer, ID: "test", Office: "JKS", Roles: []string{step.role}}})
		if err != nil {
			t.Fatalf("move to %s: %v", step.to, err)
		}
	}
	for _, role := range auth.Roles {
		n := officer.NewOfficer{Username: "jks.lay." + role, Password: "correct-horse-battery", Office: "JKS", Roles: []string{role}}
		switch role {
		case "regional_head":
			n.Office, n.Region = "", "DKI Jakarta"
		case "national_admin":
			n.Office = ""
		}
		if _, err := officer.AddOfficer(context.Background(), in.Pool, n, "test", monday); err != nil {
			t.Fatal(err)
		}
	}

	ctx := browsertest.New(t)
	for _, role := range auth.Roles {
		user := "jks.lay." + role
		do(t, ctx, role,
			chromedp.Navigate(in.URL+"/backoffice/login"),
			chromedp.WaitVisible("#username"),
			chromedp.SendKeys("#username", user),
			chromedp.SendKeys("#password", "correct-horse-battery"),
			chromedp.Submit("#password"),
			chromedp.WaitVisible("#officer-who"),
		)
		if got := js(t, ctx, `location.pathname`); got != landing[role] {
			t.Errorf("%s lands on %s, want %s", role, got, landing[role])
		}
		where := map[string]string{"regional_head": "Wilayah DKI Jakarta", "national_admin": "Nasional"}[role]
		if where == "" {
			where = "Kantor JKS"
		}
		if who := js(t, ctx, `document.getElementById("officer-who").textContent`); !strings.Contains(who, user) || !strings.Contains(who, where) {
			t.Errorf("%s: header says %q", role, who)
		}
		if js(t, ctx, `String(!!document.querySelector(".error-code"))`) != "false" {
			t.Errorf("%s: landing is an error page", role)
		}
		if js(t, ctx, `String(document.querySelector('nav.officer-nav a[aria-current="page"]').getAttribute("href"))`) != landing[role] ||
			js(t, ctx, `String(!!document.querySelector('nav.officer-nav form[action="/backoffice/logout"] input[name=_csrf][value]'))`) != "true" {
			t.Errorf("%s: no menu with the page marked and a sign-out", role)
		}
		if body := js(t, ctx, `document.body.textContent`); strings.Contains(body, "calo") || strings.Contains(body, "Cek status paspor") {
			t.Errorf("%s: citizen chrome on an officer page", role)
		}
		browsertest.AssertNoAxeViolations(t, ctx)

		switch role {
		case "desk":
			do(t, ctx, role,
				chromedp.Navigate(in.URL+"/backoffice/queue?booth=1"),
				chromedp.Click("#call-next"),
				chromedp.WaitVisible("#serving-name"),
			)
			if name, h1 := js(t, ctx, `document.getElementById("serving-name").textContent`), js(t, ctx, `document.querySelector("h1").textContent`); name != "Siti Aminah" || h1 != "Loket 1" {
				t.Errorf("booth screen serves %q under %q", name, h1)
			}
			if no := js(t, ctx, `document.querySelector("#booth-serving a").textContent`); !strings.HasPrefix(no, "JKS-20260302-") {
				t.Errorf("booth screen application number %q", no)
			}
			browsertest.AssertNoAxeViolations(t, ctx)
		case "adjudicator":
			do(t, ctx, role, chromedp.Click("#worklist a"), chromedp.WaitVisible("#application"))
			if d := js(t, ctx, `document.getElementById("application").textContent`); !strings.Contains(d, "Budi Santoso") || !strings.Contains(d, "Adjudikasi") {
				t.Errorf("application page: %q", d)
			}
			browsertest.AssertNoAxeViolations(t, ctx)
		case "validator":
			runningText(t, ctx, in)
		case "admin":
			for _, path := range []string{officer.ListPath, sms.PagePath} {
				do(t, ctx, role, chromedp.Navigate(in.URL+path), chromedp.WaitVisible("#officer-who"))
				if path == officer.ListPath && !strings.Contains(js(t, ctx, `document.getElementById("officers").textContent`), "jks.lay.desk") {
					t.Errorf("officers list without jks.lay.desk")
				}
				browsertest.AssertNoAxeViolations(t, ctx)
			}
		case "regional_head", "national_admin":
			if rows := js(t, ctx, `document.querySelector("#network-offices tbody").textContent`); !strings.Contains(rows, "JKS") {
				t.Errorf("offices at a glance: %q", rows)
			}
		}

		// A page of another role: 403 inside the layout, menu and a way back.
		forbidden := officer.ListPath
		if slices.Contains(officer.ListRoles, role) {
			forbidden = "/backoffice/queue"
		}
		do(t, ctx, role, chromedp.Navigate(in.URL+forbidden), chromedp.WaitVisible("#officer-home"))
		if code := js(t, ctx, `document.querySelector(".error-code").textContent`); !strings.Contains(code, "403") ||
			js(t, ctx, `String(document.querySelectorAll("nav.officer-nav a").length > 0)`) != "true" {
			t.Errorf("%s on %s: %q without the menu", role, forbidden, code)
		}
		browsertest.AssertNoAxeViolations(t, ctx)
		do(t, ctx, role, chromedp.Click("#officer-home"), chromedp.WaitVisible("#officer-who"))
		if got := js(t, ctx, `location.pathname`); got != landing[role] {
			t.Errorf("%s: the way back leads to %s", role, got)
		}
		do(t, ctx, role, chromedp.Click(`nav.officer-nav form[action="/backoffice/logout"] button`), chromedp.WaitVisible("#username"))
	}
}

// runningText sets the office's running text on its page: a NUL is
// refused naming the field, a plain text is saved and reaches the LED line.
func runningText(t *testing.T, ctx context.Context, in *apptest.Instance) {
	t.Helper()
	do(t, ctx, "step", chromedp.Navigate(in.URL+queue.TextPath), chromedp.WaitVisible("#text"))
	// A control character gets the form's own message (a NUL is refused
	// before, at the edge: cmd/sppt/app TestNULRefusedAtTheEdge).
	js(t, ctx, `document.getElementById("text").value = "Loket\u0007 tutup"`)
	do(t, ctx, "step", chromedp.Submit("#text"), chromedp.WaitVisible("#text-error"))
	browsertest.AssertNoAxeViolations(t, ctx)
	const msg = "Pengambilan paspor di loket 5 mulai pukul 13.00"
	do(t, ctx, "step", chromedp.SetValue("#text", msg), chromedp.Submit("#text"), chromedp.WaitVisible("#text-saved"))
	if cur := js(t, ctx, `document.getElementById("current-text").textContent`); cur != msg {
		t.Errorf("current text %q", cur)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	if r := in.Do(t, "GET", "/api/v1/offices/JKS/running-text", "", nil); r.Status != 200 || !strings.Contains(string(r.Body), msg) {
		t.Errorf("LED line: %d %s", r.Status, r.Body)
	}
}
