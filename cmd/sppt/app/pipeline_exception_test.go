package app_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/exception"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

type caseJSON struct {
	ApplicationNo string `json:"application_no"`
	Kind          string `json:"kind"`
	DeciderRole   string `json:"decider_role"`
	Status        string `json:"status"`
	Finding       exception.Finding
	BAP           *exception.BAP
	BAPSigned     *exception.Signature `json:"bap_signed"`
	Decision      *exception.Decision
}

// hold opens a hold as the checks do: the system moves the application.
func hold(t *testing.T, in *apptest.Instance, no, kind string, f *exception.Finding) {
	t.Helper()
	err := pgx.BeginFunc(context.Background(), in.Pool, func(tx pgx.Tx) error {
		_, err := in.App.Backoffice.Stages.MoveTx(context.Background(), tx, application.Request{No: no, To: civil.StageOnHold,
			Actor: application.Actor{Kind: application.KindSystem}, Hold: kind, Reason: "check found " + kind})
		if err != nil || f == nil {
			return err
		}
		return in.App.Exception.Found(context.Background(), tx, no, *f)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func expect(t *testing.T, r apptest.Response, status int, code string) {
	t.Helper()
	if r.Status != status || (code != "" && r.ErrorCode() != code) {
		t.Fatalf("want %d %s, got %d %s", status, code, r.Status, r.Body)
	}
}

func stageOf(t *testing.T, in *apptest.Instance, no string) civil.Stage {
	t.Helper()
	a, err := in.App.Backoffice.Applications.Get(context.Background(), no)
	if err != nil {
		t.Fatal(err)
	}
	return a.Stage
}

var watchlistBAP = map[string]any{"statement": "Saya tidak pernah berurusan dengan KPK.", "findings": "Nama dan tanggal lahir sama; NIK berbeda.",
	"examiner_name": "Drs. Bambang Wijaya", "fields": map[string]string{"watchlist_entry": "#1", "identity_confirmed": "no"}}

// Seed case #1: a watchlist hit. The supervisor writes the BAP, the office
// head recommends, the regional head decides; the supervisor may not decide
// (403), another office's supervisor and another region's head see nothing
// (404), and no decision is taken before the BAP and the recommendation.
// The rejected applicant is told the reason by SMS.
func TestExceptionWatchlistCase(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	const no = "JKS-20260302-A001"
	in.AddApplication(t, no, "+6281234500001", civil.StageDesk, apptest.Monday)
	sup := in.OfficerToken(t, "JKS", "jks.sup", "supervisor")
	head := in.OfficerToken(t, "JKS", "jks.head", "validator")
	otherSup := in.OfficerToken(t, "JKB", "jkb.sup", "supervisor")
	kadiv := in.RegionalToken(t, "DKI Jakarta", "dki.kadiv")
	banten := in.RegionalToken(t, "Banten", "banten.kadiv")
	hold(t, in, no, application.HoldWatchlist, &exception.Finding{Source: "watchlist", WatchlistEntryID: 1, Score: 0.82, Authority: "KPK"})

	var c caseJSON
	in.Do(t, "GET", "/api/v1/backoffice/exceptions/"+no, sup, nil).JSON(t, &c)
	if c.Kind != "watchlist" || c.DeciderRole != "regional_head" || c.Status != exception.StatusBAP || c.Finding.WatchlistEntryID != 1 {
		t.Fatalf("opened case: %+v", c)
	}
	decide := map[string]string{"outcome": "rejected", "reason": "Tercantum dalam daftar cekal KPK"}
	expect(t, in.Do(t, "POST", "/api/v1/backoffice/exceptions/"+no+"/decision", kadiv, decide), 409, "bap_missing")
	expect(t, in.Do(t, "POST", "/api/v1/backoffice/exceptions/"+no+"/decision", sup, decide), 403, "exception_role")
	expect(t, in.Do(t, "PUT", "/api/v1/backoffice/exceptions/"+no+"/bap", otherSup, watchlistBAP), 404, "application_not_found")
	expect(t, in.Do(t, "GET", "/api/v1/backoffice/exceptions/"+no, otherSup, nil), 404, "")
	expect(t, in.Do(t, "PUT", "/api/v1/backoffice/exceptions/"+no+"/bap", head, watchlistBAP), 403, "")
	r := in.Do(t, "PUT", "/api/v1/backoffice/exceptions/"+no+"/bap", sup, map[string]any{"statement": "x", "findings": "y", "examiner_name": "Bambang"})
	if expect(t, r, 422, "validation_failed"); !strings.Contains(string(r.Body), "identity_confirmed") || !strings.Contains(string(r.Body), "watchlist_entry") {
		t.Errorf("incomplete BAP: %s", r.Body)
	}
	r = in.Do(t, "PUT", "/api/v1/backoffice/exceptions/"+no+"/bap", sup, watchlistBAP)
	expect(t, r, 200, "")
	if r.JSON(t, &c); c.Status != exception.StatusRecommend || c.BAPSigned == nil || c.BAPSigned.Name != "jks.sup" {
		t.Fatalf("after the BAP: %s", r.Body)
	}
	expect(t, in.Do(t, "POST", "/api/v1/backoffice/exceptions/"+no+"/decision", kadiv, decide), 409, "recommendation_missing")
	expect(t, in.Do(t, "POST", "/api/v1/backoffice/exceptions/"+no+"/recommendation", head, map[string]string{"outcome": "maybe", "text": "?"}), 422, "")
	r = in.Do(t, "POST", "/api/v1/backoffice/exceptions/"+no+"/recommendation", head, map[string]string{"outcome": "reject", "text": "Identitas cocok dengan daftar."})
	expect(t, r, 200, "")
	if r.JSON(t, &c); c.Status != exception.StatusDecision {
		t.Fatalf("after the recommendation: %s", r.Body)
	}
	expect(t, in.Do(t, "PUT", "/api/v1/backoffice/exceptions/"+no+"/bap", sup, watchlistBAP), 409, "bap_locked")
	expect(t, in.Do(t, "POST", "/api/v1/backoffice/exceptions/"+no+"/decision", banten, decide), 404, "application_not_found")
	// The regional head's inbox spans the region's offices.
	var inbox struct{ Cases []caseJSON }
	in.Do(t, "GET", "/api/v1/backoffice/exceptions", kadiv, nil).JSON(t, &inbox)
	if len(inbox.Cases) != 1 || inbox.Cases[0].ApplicationNo != no {
		t.Errorf("regional inbox: %+v", inbox)
	}
	in.Do(t, "GET", "/api/v1/backoffice/exceptions", banten, nil).JSON(t, &inbox)
	if len(inbox.Cases) != 0 {
		t.Errorf("another region's inbox: %+v", inbox)
	}
	r = in.Do(t, "POST", "/api/v1/backoffice/exceptions/"+no+"/decision", kadiv, decide)
	expect(t, r, 200, "")
	if r.JSON(t, &c); c.Decision == nil || c.Decision.Outcome != civil.StageRejected || c.Decision.Signed.Role != "regional_head" {
		t.Fatalf("decision: %s", r.Body)
	}
	if s := stageOf(t, in, no); s != civil.StageRejected {
		t.Fatalf("after the decision the application is %s", s)
	}
	expect(t, in.Do(t, "POST", "/api/v1/backoffice/exceptions/"+no+"/decision", kadiv, decide), 409, "exception_decided")
	var body string
	if err := in.Pool.QueryRow(context.Background(), `SELECT body FROM sms_messages WHERE to_phone = '+6281234500001'
		AND kind = 'application_rejected'`).Scan(&body); err != nil || !strings.Contains(body, "daftar cekal KPK") {
		t.Errorf("rejection SMS: %q %v", body, err)
	}
	var audits int
	_ = in.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE subject = $1
		AND action IN ('exception.bap', 'exception.recommend', 'exception.decide')`, "application:"+no).Scan(&audits)
	if audits != 3 {
		t.Errorf("audit entries of the case: %d, want 3", audits)
	}
}

// Seed case #2 driven for real: a second applicant's face matches the first
// identity; the capture holds the application with what ABIS found; the
// supervisor writes the BAP and approves, and the application goes to billing.
func TestExceptionDuplicateFaceCase(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	for i, nik := range []string{"3174016010900001", "3174016010900002"} {
		in.AddApplicant(t, application.New{No: fmt.Sprintf("JKS-20260302-A00%d", i+1), Office: "JKS",
			Service: civil.ServiceNew, NIK: nik, FullName: "Siti Aminah", BirthDate: apptest.Day("1990-10-20"), Sex: "F"},
			civil.StageBiometric, apptest.Monday)
	}
	station := in.DeviceToken(t, "JKS", "biometric", "Stasiun 1")
	sup := in.OfficerToken(t, "JKS", "jks.sup", "supervisor")
	adj := in.OfficerToken(t, "JKS", "jks.adj", "adjudicator")
	rng := rand.New(rand.NewPCG(7, 8))
	face := unitFace(rng, nil, 0)
	for no, emb := range map[string][]float64{"JKS-20260302-A001": face} {
		expect(t, in.Do(t, "POST", "/api/v1/devices/captures", station, captureRequest(t, no, emb)), 201, "")
	}
	const no = "JKS-20260302-A002"
	expect(t, in.Do(t, "POST", "/api/v1/devices/captures", station, captureRequest(t, no, unitFace(rng, face, 0.8))), 201, "")
	var c caseJSON
	in.Do(t, "GET", "/api/v1/backoffice/exceptions/"+no, sup, nil).JSON(t, &c)
	if c.Kind != "duplicate" || c.DeciderRole != "supervisor" || c.Finding.Source != "abis" ||
		c.Finding.Subject != "3174016010900001" || c.Finding.Score < 0.4 {
		t.Fatalf("duplicate case: %+v", c)
	}
	approve := map[string]string{"outcome": "billing", "reason": "Kembar identik; dokumen berbeda dan sah"}
	expect(t, in.Do(t, "POST", "/api/v1/backoffice/exceptions/"+no+"/decision", sup, approve), 409, "bap_missing")
	expect(t, in.Do(t, "POST", "/api/v1/backoffice/exceptions/"+no+"/decision", adj, approve), 403, "")
	expect(t, in.Do(t, "PUT", "/api/v1/backoffice/exceptions/"+no+"/bap", sup, map[string]any{"statement": "Saya kembar identik.",
		"findings": "Akta kelahiran dan KK menunjukkan saudara kembar.", "examiner_name": "Dewi Lestari",
		"fields": map[string]string{"matched_identity": c.Finding.Subject, "same_person": "no"}}), 200, "")
	expect(t, in.Do(t, "POST", "/api/v1/backoffice/exceptions/"+no+"/recommendation", in.OfficerToken(t, "JKS", "jks.head", "validator"),
		map[string]string{"outcome": "proceed", "text": "x"}), 409, "recommendation_not_needed")
	expect(t, in.Do(t, "POST", "/api/v1/backoffice/exceptions/"+no+"/decision", sup, approve), 200, "")
	if s := stageOf(t, in, no); s != civil.StageBilling {
		t.Fatalf("approved duplicate is in %s, want billing", s)
	}
	var bills int
	_ = in.Pool.QueryRow(context.Background(), `SELECT count(*) FROM bills WHERE application_no = $1`, no).Scan(&bills)
	if bills != 1 {
		t.Errorf("bills after approval: %d", bills)
	}
}

// Seed case #3: a lost passport. The BAP names the police report, date and
// place; negligence needs a withholding of 6–24 months, and a withheld
// application can only be rejected.
func TestExceptionLostPassportCase(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	const no = "JKS-20260302-A001"
	in.AddApplication(t, no, "", civil.StageDesk, apptest.Monday)
	sup := in.OfficerToken(t, "JKS", "jks.sup", "supervisor")
	hold(t, in, no, application.HoldLostPassport, nil)
	bap := func(fields map[string]string) apptest.Response {
		return in.Do(t, "PUT", "/api/v1/backoffice/exceptions/"+no+"/bap", sup, map[string]any{"statement": "Paspor hilang di KRL.",
			"findings": "Pemohon tidak menyimpan paspor dengan aman.", "examiner_name": "Dewi Lestari", "fields": fields})
	}
	lost := map[string]string{"police_report_no": "LP/123/II/2026/PMJ", "loss_date": "2026-02-20", "loss_place": "Stasiun Manggarai", "negligent": "yes"}
	for months, problem := range map[string]string{"": "exception.problem.required", "3": "exception.problem.withhold_range", "30": "exception.problem.withhold_range"} {
		f := map[string]string{"withhold_months": months}
		for k, v := range lost {
			f[k] = v
		}
		if r := bap(f); r.Status != 422 || !strings.Contains(string(r.Body), `"withhold_months"`) {
			t.Errorf("withhold %q: %d %s (want %s)", months, r.Status, r.Body, problem)
		}
	}
	future := map[string]string{"police_report_no": "LP/1", "loss_date": "2026-03-09", "loss_place": "x", "negligent": "no"}
	if r := bap(future); r.Status != 422 || !strings.Contains(string(r.Body), `"loss_date"`) {
		t.Errorf("a loss in the future: %d %s", r.Status, r.Body)
	}
	lost["withhold_months"] = "12"
	expect(t, bap(lost), 200, "")
	r := in.Do(t, "POST", "/api/v1/backoffice/exceptions/"+no+"/decision", sup, map[string]string{"outcome": "billing", "reason": "ok"})
	if expect(t, r, 422, "validation_failed"); !strings.Contains(string(r.Body), `"outcome"`) {
		t.Errorf("approving a withheld case: %s", r.Body)
	}
	expect(t, in.Do(t, "POST", "/api/v1/backoffice/exceptions/"+no+"/decision", sup,
		map[string]string{"outcome": "rejected", "reason": "Lalai; paspor baru ditangguhkan 12 bulan"}), 200, "")
	if s := stageOf(t, in, no); s != civil.StageRejected {
		t.Fatalf("withheld case is in %s", s)
	}
}

// A hold ended another way (the applicant cancels) closes its case, and a
// new hold after a decision is a new case.
func TestExceptionCaseClosesWithTheHold(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	const no = "JKS-20260302-A001"
	in.AddApplication(t, no, "", civil.StageDesk, apptest.Monday)
	sup := in.OfficerToken(t, "JKS", "jks.sup", "supervisor")
	hold(t, in, no, application.HoldExistingPassport, &exception.Finding{Source: "desk", PassportNo: "X1234567"})
	if _, err := in.App.Backoffice.Stages.Move(context.Background(), application.Request{No: no, To: civil.StageCancelled,
		Actor: application.Actor{Kind: application.KindOfficer, ID: "1", Office: "JKS", Roles: []string{"supervisor"}}, Reason: "withdrawn"}); err != nil {
		t.Fatal(err)
	}
	var c caseJSON
	in.Do(t, "GET", "/api/v1/backoffice/exceptions/"+no, sup, nil).JSON(t, &c)
	if c.Decision == nil || c.Decision.Outcome != "cancelled" || c.Status != exception.StatusDecided {
		t.Fatalf("case after the cancellation: %+v", c)
	}
	expect(t, in.Do(t, "PUT", "/api/v1/backoffice/exceptions/"+no+"/bap", sup, watchlistBAP), 409, "exception_decided")
}

// The case pages are scoped like the API (another office: 404; a role
// without a part in cases: 403), the print view needs a BAP, and the API is
// in the OpenAPI document.
func TestExceptionPagesScopeAndOpenAPI(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	const no = "JKS-20260302-A001"
	in.AddApplication(t, no, "", civil.StageDesk, apptest.Monday)
	hold(t, in, no, application.HoldDuplicate, nil)
	cookie := func(office, user, role string) []string {
		return []string{"Cookie", "sppt_officer=" + in.OfficerToken(t, office, user, role)}
	}
	page := "/backoffice/exceptions/" + no
	sup := cookie("JKS", "jks.sup", "supervisor")
	if r := in.Do(t, "GET", page, "", nil, sup...); r.Status != 200 || !strings.Contains(string(r.Body), `id="bap-form"`) {
		t.Errorf("own supervisor: %d", r.Status)
	}
	if r := in.Do(t, "GET", page+"/print", "", nil, sup...); r.Status != 409 {
		t.Errorf("print before the BAP: %d", r.Status)
	}
	if r := in.Do(t, "GET", page, "", nil, cookie("JKB", "jkb.sup", "supervisor")...); r.Status != 404 {
		t.Errorf("another office's supervisor: %d", r.Status)
	}
	if r := in.Do(t, "GET", page, "", nil, cookie("JKS", "jks.desk", "desk")...); r.Status != 403 {
		t.Errorf("the desk: %d", r.Status)
	}
	doc := string(in.Do(t, "GET", "/api/v1/openapi.json", "", nil).Body)
	for _, p := range []string{"/backoffice/exceptions\"", "/bap\"", "/recommendation\"", "/decision\""} {
		if !strings.Contains(doc, p) {
			t.Errorf("OpenAPI lacks %s", p)
		}
	}
}
