package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/idn"
)

type claimed struct {
	JobID         string `json:"job_id"`
	ApplicationNo string `json:"application_no"`
	PassportNo    string `json:"passport_no"`
	BookType      string `json:"book_type"`
	DataPage      struct {
		FullName  string `json:"full_name"`
		IssuedOn  string `json:"issued_on"`
		ExpiresOn string `json:"expires_on"`
	} `json:"data_page"`
	MRZ []string `json:"mrz"`
}

// toPrinting seeds an application at billing and pays it through the stage
// machine, as billing's callback does: entering printing queues its job.
func toPrinting(t *testing.T, in *apptest.Instance, no, name, birth, sex string, seq int) {
	t.Helper()
	in.AddApplicant(t, application.New{No: no, Office: "JKS", Service: civil.ServiceNew, NIK: apptest.NIK(birth, sex == "F", seq),
		FullName: name, BirthDate: apptest.Day(birth), Sex: sex}, civil.StageBilling, in.App.Clock.Now())
	if _, err := in.App.Backoffice.Stages.Move(context.Background(), application.Request{No: no, To: civil.StagePrinting,
		Actor: application.Actor{Kind: application.KindPayment, ID: "bank"}}); err != nil {
		t.Fatal(err)
	}
}

// Printing end to end over the device and officer APIs: two printers claim
// at once and get different jobs; a QA failure spoils the blank with its
// reason and the job is printed again on a new blank; printed registers the
// passport with MRZ lines whose every check digit verifies, puts its number
// on the application and moves it to validation; the ledger accounts for
// every serial.
func TestPrintJobsToValidation(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(apptest.Monday)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	ctx := context.Background()
	if _, err := in.App.Ledger.Receive(ctx, "JKS", "ordinary_48", "A0000001", 3, "test", clk.Now()); err != nil {
		t.Fatal(err)
	}
	toPrinting(t, in, "JKS-20260302-A001", "Siti Zulaikha", "1990-10-20", "F", 11)
	toPrinting(t, in, "JKS-20260302-A002", "Made", "2015-05-01", "M", 12) // a child and a single name
	p1 := in.DeviceToken(t, "JKS", "printer", "Printer 1")
	p2 := in.DeviceToken(t, "JKS", "printer", "Printer 2")
	elsewhere := in.DeviceToken(t, "DPS", "printer", "Printer DPS")
	kiosk := in.DeviceToken(t, "JKS", "kiosk", "Kiosk")
	officer := in.OfficerToken(t, "JKS", "jks.validator", "validator")
	other := in.OfficerToken(t, "DPS", "dps.validator", "validator")

	const claim = "/api/v1/devices/print-jobs/claim"
	if r := in.Do(t, "POST", claim, kiosk, nil); r.Status != 403 {
		t.Fatalf("a kiosk claims print jobs: %d", r.Status)
	}
	if r := in.Do(t, "POST", claim, elsewhere, nil); r.Status != 204 {
		t.Fatalf("another office's printer: %d %s", r.Status, r.Body)
	}
	// Two printers at once never get the same job.
	var jobs [2]claimed
	var wg sync.WaitGroup
	for i, tok := range []string{p1, p2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := in.Do(t, "POST", claim, tok, nil)
			if r.Status != 200 {
				t.Errorf("claim %d: %d %s", i, r.Status, r.Body)
				return
			}
			r.JSON(t, &jobs[i])
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if jobs[0].JobID == jobs[1].JobID || jobs[0].ApplicationNo == jobs[1].ApplicationNo {
		t.Fatalf("two printers got the same job: %+v", jobs)
	}
	if r := in.Do(t, "POST", claim, p1, nil); r.Status != 204 {
		t.Fatalf("a third claim with both jobs held: %d %s", r.Status, r.Body)
	}
	byApp := map[string]int{jobs[0].ApplicationNo: 0, jobs[1].ApplicationNo: 1}
	siti, made := jobs[byApp["JKS-20260302-A001"]], jobs[byApp["JKS-20260302-A002"]]
	sitiTok, madeTok := []string{p1, p2}[byApp["JKS-20260302-A001"]], []string{p1, p2}[byApp["JKS-20260302-A002"]]
	for _, j := range []claimed{siti, made} {
		assertMRZ(t, j.MRZ)
		if j.BookType != "ordinary_48" || j.MRZ[1][:9] != j.PassportNo+"<" {
			t.Fatalf("job %+v", j)
		}
	}
	if siti.MRZ[0] != "P<IDNSITI<ZULAIKHA"+strings.Repeat("<", 26) || made.MRZ[0] != "P<IDNMADE"+strings.Repeat("<", 35) {
		t.Fatalf("MRZ line 1: %q / %q", siti.MRZ[0], made.MRZ[0])
	}
	// Validity from billing's rule: 10 years from age 17, else 5.
	if siti.DataPage.IssuedOn != "2026-03-02" || siti.DataPage.ExpiresOn != "2036-03-02" || made.DataPage.ExpiresOn != "2031-03-02" {
		t.Fatalf("validity: %+v / %+v", siti.DataPage, made.DataPage)
	}

	result := func(tok, job string, body map[string]string, want int) apptest.Response {
		t.Helper()
		r := in.Do(t, "POST", "/api/v1/devices/print-jobs/"+job+"/result", tok, body)
		if r.Status != want {
			t.Fatalf("result %v: %d %s, want %d", body, r.Status, r.Body, want)
		}
		return r
	}
	// QA fails: a reason is required, then the blank is spoiled and the job waits again.
	if r := result(sitiTok, siti.JobID, map[string]string{"serial": "A0000001", "result": "spoiled"}, 422); !strings.Contains(string(r.Body), `"reason"`) {
		t.Fatalf("spoiled without a reason: %s", r.Body)
	}
	result(madeTok, siti.JobID, map[string]string{"serial": "A0000001", "result": "printed"}, 409) // not this printer's job
	result(sitiTok, siti.JobID, map[string]string{"serial": "Z0000001", "result": "printed"}, 422)
	result(elsewhere, siti.JobID, map[string]string{"serial": "A0000001", "result": "printed"}, 404)
	r := result(sitiTok, siti.JobID, map[string]string{"serial": "A0000001", "result": "spoiled", "reason": "hologram misaligned"}, 200)
	if !strings.Contains(string(r.Body), `"status":"queued"`) {
		t.Fatalf("spoiled answer: %s", r.Body)
	}
	r = in.Do(t, "POST", claim, p1, nil)
	var again claimed
	r.JSON(t, &again)
	if again.JobID != siti.JobID || again.PassportNo != siti.PassportNo {
		t.Fatalf("the spoiled job is not printed again: %+v", again)
	}
	result(p1, again.JobID, map[string]string{"serial": "A0000001", "result": "printed"}, 422) // the spoiled blank
	result(p1, again.JobID, map[string]string{"serial": "A0000002", "result": "printed"}, 200)
	result(p1, again.JobID, map[string]string{"serial": "A0000002", "result": "printed"}, 200) // the printer's retry
	result(p1, again.JobID, map[string]string{"serial": "A0000003", "result": "printed"}, 409)
	result(madeTok, made.JobID, map[string]string{"serial": "a0000003", "result": "printed"}, 200)

	// The application: its passport number, and on to validation by the device.
	r = in.Do(t, "GET", "/api/v1/backoffice/applications/JKS-20260302-A001", officer, nil)
	var rec struct {
		Stage      string
		PassportNo string `json:"passport_no"`
		History    []struct{ Stage, Actor string }
	}
	r.JSON(t, &rec)
	last := rec.History[len(rec.History)-1]
	if rec.Stage != "validation" || rec.PassportNo != siti.PassportNo || last.Stage != "validation" || !strings.HasPrefix(last.Actor, "device:") {
		t.Fatalf("application after printing: %s", r.Body)
	}
	r = in.Do(t, "GET", "/api/v1/backoffice/applications?stage=validation", officer, nil)
	if !strings.Contains(string(r.Body), `"passport_no":"`+made.PassportNo+`"`) {
		t.Fatalf("list lacks the passport number: %s", r.Body)
	}

	// The passport record, with the MRZ as printed.
	r = in.Do(t, "GET", "/api/v1/backoffice/passports/"+siti.PassportNo, officer, nil)
	var pp struct {
		PassportNo    string `json:"passport_no"`
		ApplicationNo string `json:"application_no"`
		Status        string
		IssuedAt      time.Time `json:"issued_at"`
		ExpiresOn     string    `json:"expires_on"`
		MRZ           []string
	}
	r.JSON(t, &pp)
	if r.Status != 200 || pp.ApplicationNo != "JKS-20260302-A001" || pp.Status != "printed" || pp.ExpiresOn != "2036-03-02" ||
		pp.IssuedAt.IsZero() || fmt.Sprint(pp.MRZ) != fmt.Sprint(siti.MRZ) {
		t.Fatalf("passport record: %d %s", r.Status, r.Body)
	}
	assertMRZ(t, pp.MRZ)
	if r := in.Do(t, "GET", "/api/v1/backoffice/passports/"+siti.PassportNo, other, nil); r.Status != 404 {
		t.Fatalf("another office reads the passport: %d", r.Status)
	}
	if r := in.Do(t, "GET", "/api/v1/backoffice/passports/"+siti.PassportNo, p1, nil); r.Status != 401 {
		t.Fatalf("a device token reads the register: %d", r.Status)
	}

	total, _, err := in.App.Ledger.Report(ctx, "JKS")
	if err != nil {
		t.Fatal(err)
	}
	if total.Received != 3 || total.Of("printed") != 2 || total.Of("spoiled") != 1 || total.Of("in_stock") != 0 || total.Unaccounted != 0 {
		t.Fatalf("ledger: %+v", total)
	}
	var reason string
	if err := in.Pool.QueryRow(ctx, `SELECT reason FROM blanks WHERE serial = 'A0000001'`).Scan(&reason); err != nil || reason != "hologram misaligned" {
		t.Fatalf("spoiled reason: %q %v", reason, err)
	}
}

// assertMRZ checks two TD3 lines and recomputes every check digit.
func assertMRZ(t *testing.T, l []string) {
	t.Helper()
	if len(l) != 2 || len(l[0]) != 44 || len(l[1]) != 44 || !strings.HasPrefix(l[0], "P<IDN") {
		t.Fatalf("MRZ %q", l)
	}
	two := l[1]
	for _, c := range []struct {
		data string
		at   int
	}{{two[0:9], 9}, {two[13:19], 19}, {two[21:27], 27}, {two[0:10] + two[13:20] + two[21:43], 43}} {
		if int(two[c.at]-'0') != idn.CheckDigit(c.data) {
			t.Fatalf("check digit at %d of %q is wrong", c.at+1, two)
		}
	}
	if two[10:13] != "IDN" || two[42] != '<' && int(two[42]-'0') != idn.CheckDigit(two[28:42]) {
		t.Fatalf("line 2 %q", two)
	}
}
