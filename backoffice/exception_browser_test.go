package backoffice_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// signInAs puts an officer's token in the page cookie (the login form has
// its own test).
func signInAs(t *testing.T, ctx context.Context, in *apptest.Instance, token string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: officer.OfficerCookie, Value: token, URL: in.URL}); err != nil {
		t.Fatal(err)
	}
}

func holdFor(t *testing.T, in *apptest.Instance, no, kind string) {
	t.Helper()
	in.AddApplication(t, no, "+6281234500009", civil.StageDesk, monday)
	if _, err := in.App.Backoffice.Stages.Move(context.Background(), application.Request{No: no, To: civil.StageOnHold,
		Actor: application.Actor{Kind: application.KindSystem}, Hold: kind, Reason: "check found " + kind}); err != nil {
		t.Fatal(err)
	}
}

// The supervisor writes a lost-passport BAP in the browser (a missing
// withholding is refused on the field), decides, and prints it: on paper
// only the document with its signature blocks. The office head's
// recommendation and the regional head's decision of a watchlist case are
// forms of their own. axe finds nothing on any of these pages.
func TestBAPPagesInBrowser(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(monday)})
	const lost, cekal = "JKS-20260302-A001", "JKS-20260302-A002"
	holdFor(t, in, lost, application.HoldLostPassport)
	holdFor(t, in, cekal, application.HoldWatchlist)
	sup := in.OfficerToken(t, "JKS", "jks.bap.sup", "supervisor")
	ctx := browsertest.New(t)
	signInAs(t, ctx, in, sup)

	do(t, ctx, "inbox", chromedp.Navigate(in.URL+"/backoffice/exceptions"), chromedp.WaitVisible("#exception-inbox"))
	if rows := js(t, ctx, `document.querySelector("#exception-inbox tbody").textContent`); !strings.Contains(rows, lost) || !strings.Contains(rows, cekal) {
		t.Errorf("inbox: %q", rows)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "case", chromedp.Click(`#exception-inbox a[href$="`+lost+`"]`), chromedp.WaitVisible("#bap-form"))
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "bap without withholding",
		chromedp.SetValue("#f_police_report_no", "LP/123/II/2026/PMJ"),
		chromedp.SetValue("#f_loss_date", "2026-02-20"),
		chromedp.SetValue("#f_loss_place", "Stasiun Manggarai"),
		chromedp.SetValue("#f_negligent", "yes"),
		chromedp.SetValue("#statement", "Paspor tertinggal di kereta."),
		chromedp.SetValue("#findings", "Pemohon lalai menyimpan paspor."),
		chromedp.SetValue("#examiner_name", "Dewi Lestari"),
		chromedp.Click("#bap-submit"),
		chromedp.WaitVisible("#f_withhold_months-error"),
	)
	if v := js(t, ctx, `document.getElementById("f_police_report_no").value`); v != "LP/123/II/2026/PMJ" {
		t.Errorf("the refused form lost what was typed: %q", v)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "bap", chromedp.SetValue("#f_withhold_months", "12"), chromedp.Click("#bap-submit"), chromedp.WaitVisible("#case-done"))
	if s := js(t, ctx, `document.getElementById("bap-view").textContent`); !strings.Contains(s, "Stasiun Manggarai") || !strings.Contains(s, "Dewi Lestari") {
		t.Errorf("BAP view: %q", s)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "decision", chromedp.Click(`#decision-form input[value="rejected"]`),
		chromedp.SetValue("#reason", "Lalai; paspor baru ditangguhkan 12 bulan"), chromedp.Click("#decision-submit"),
		chromedp.WaitVisible("#decision-outcome"))
	if s, err := in.App.Backoffice.Applications.Get(context.Background(), lost); err != nil || s.Stage != civil.StageRejected {
		t.Errorf("after the decision: %v %v", s.Stage, err)
	}

	do(t, ctx, "print", chromedp.Click("#bap-print"), chromedp.WaitVisible("#bap-sheet"))
	browsertest.AssertNoAxeViolations(t, ctx)
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	hidden := js(t, ctx, `[".officer-header", ".officer-menu-bar", ".officer-footer", ".no-print"].map(s => getComputedStyle(document.querySelector(s)).display).join(",")`)
	sigs := js(t, ctx, `String(document.querySelectorAll("#print-signatures .bap-signature").length)`)
	if hidden != "none,none,none,none" || sigs != "3" {
		t.Errorf("printed: header, menu, footer, buttons %s; signature blocks %s (want applicant, examiner, decider)", hidden, sigs)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatal(err)
	}

	// The watchlist case: BAP by API, then the office head's and the regional head's forms.
	r := in.Do(t, "PUT", "/api/v1/backoffice/exceptions/"+cekal+"/bap", sup, map[string]any{"statement": "Bukan saya.",
		"findings": "Tanggal lahir sama, NIK berbeda.", "examiner_name": "Dewi Lestari",
		"fields": map[string]string{"watchlist_entry": "#7", "identity_confirmed": "no"}})
	if r.Status != 200 {
		t.Fatalf("watchlist BAP: %d %s", r.Status, r.Body)
	}
	signInAs(t, ctx, in, in.OfficerToken(t, "JKS", "jks.bap.head", "validator"))
	do(t, ctx, "recommendation", chromedp.Navigate(in.URL+"/backoffice/exceptions/"+cekal), chromedp.WaitVisible("#rec-form"))
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "recommend", chromedp.Click(`#rec-form input[value="proceed"]`), chromedp.SetValue("#text", "Bukan orang yang dicekal."),
		chromedp.Click("#rec-submit"), chromedp.WaitVisible("#rec-outcome"))
	signInAs(t, ctx, in, in.RegionalToken(t, "DKI Jakarta", "dki.bap.kadiv"))
	do(t, ctx, "region inbox", chromedp.Navigate(in.URL+"/backoffice/exceptions"), chromedp.WaitVisible("#exception-inbox"))
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "decision page", chromedp.Click(`#exception-inbox a[href$="`+cekal+`"]`), chromedp.WaitVisible("#decision-form"))
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "regional decision", chromedp.Click(`#decision-form input[value="adjudication"]`),
		chromedp.SetValue("#reason", "Bukan orang yang tercantum; lanjut adjudikasi."), chromedp.Click("#decision-submit"),
		chromedp.WaitVisible("#decision-outcome"))
	if s, _ := in.App.Backoffice.Applications.Get(context.Background(), cekal); s.Stage != civil.StageAdjudication {
		t.Errorf("watchlist case after the regional decision: %s", s.Stage)
	}
}

// The watchlist page: add an entry, find it by an old spelling with "check
// a name", upload a CSV with a bad line (refused with its line and field),
// and lift the entry. axe finds nothing on any of them.
func TestWatchlistPageInBrowser(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(monday)})
	ctx := browsertest.New(t)
	signInAs(t, ctx, in, in.OfficerToken(t, "JKS", "jks.wl.sup", "supervisor"))
	do(t, ctx, "list", chromedp.Navigate(in.URL+"/backoffice/watchlist"), chromedp.WaitVisible("#watchlist-empty"))
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "new", chromedp.Click("#watchlist-new"), chromedp.WaitVisible("#entry-form"))
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "refused", chromedp.SetValue("#full_name", "Soedjatmiko Tjahjono"), chromedp.SetValue("#birth_date", "1970-05-17"),
		chromedp.SetValue("#reason", "Tersangka korupsi"), chromedp.SetValue("#authority", "kpk!"), chromedp.Click("#entry-submit"),
		chromedp.WaitVisible("#authority-error"))
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "saved", chromedp.SetValue("#authority", "KPK"), chromedp.Click("#entry-submit"), chromedp.WaitVisible("#entry-done"))
	browsertest.AssertNoAxeViolations(t, ctx)
	entry := js(t, ctx, `location.pathname`)

	do(t, ctx, "check", chromedp.Navigate(in.URL+"/backoffice/watchlist/check"), chromedp.WaitVisible("#check-form"),
		chromedp.SetValue("#name", "Sudjatmiko Cahyono"), chromedp.SetValue("#birth_date", "1970-05-17"),
		chromedp.Click("#check-submit"), chromedp.WaitVisible("#check-result"))
	if hits := js(t, ctx, `document.getElementById("check-result").textContent`); !strings.Contains(hits, "Soedjatmiko Tjahjono") {
		t.Errorf("check by the new spelling: %q", hits)
	}
	browsertest.AssertNoAxeViolations(t, ctx)

	csv := filepath.Join(t.TempDir(), "list.csv")
	body := "nik,full_name,birth_date,kind,reason,authority,valid_from,valid_to\n" +
		",Liem Swie King,1956-02-28,cegah,Perkara pajak,DJP,2026-01-01,\n" +
		",Oei Hong Djien,1939-13-01,cegah,Perkara,DJP,2026-01-01,\n"
	if err := os.WriteFile(csv, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "upload", chromedp.Navigate(in.URL+"/backoffice/watchlist"), chromedp.WaitVisible("#import-form"),
		chromedp.SetUploadFiles("#file", []string{csv}), chromedp.Click("#import-submit"), chromedp.WaitVisible("#import-result"))
	if res := js(t, ctx, `document.getElementById("import-result").textContent`); !strings.Contains(res, "1 ditambahkan") ||
		!strings.Contains(res, "Baris 3 (birth_date)") {
		t.Errorf("import result: %q", res)
	}
	if rows := js(t, ctx, `document.querySelector("#watchlist-entries tbody").textContent`); !strings.Contains(rows, "Liem Swie King") {
		t.Errorf("list after the import: %q", rows)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "search", chromedp.SetValue("#q", "Lim Swie"), chromedp.Submit("#q"), chromedp.WaitVisible("#watchlist-entries"))
	if rows := js(t, ctx, `document.querySelector("#watchlist-entries tbody").textContent`); !strings.Contains(rows, "Liem Swie King") || strings.Contains(rows, "Soedjatmiko") {
		t.Errorf("search Lim Swie: %q", rows)
	}

	do(t, ctx, "lift refused", chromedp.Navigate(in.URL+entry), chromedp.WaitVisible("#lift-form"), chromedp.Click("#lift-submit"),
		chromedp.WaitVisible("#lift_reason-error"))
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "lift", chromedp.SetValue("#lift_reason", "Surat KPK R-12/2026"), chromedp.Click("#lift-submit"), chromedp.WaitVisible("#entry-done"))
	if st := js(t, ctx, `document.getElementById("entry-state-value").textContent`); st != "Dicabut" {
		t.Errorf("state after lifting: %q", st)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	do(t, ctx, "check again", chromedp.Navigate(in.URL+"/backoffice/watchlist/check?name=Soedjatmiko+Tjahjono&birth_date=1970-05-17"),
		chromedp.WaitVisible("#check-result"))
	if hits := js(t, ctx, `document.getElementById("check-result").textContent`); strings.Contains(hits, "Soedjatmiko") {
		t.Errorf("a lifted entry still hits: %q", hits)
	}
}
