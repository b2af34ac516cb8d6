package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/backoffice/sla"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// wib is a wall-clock time in Jakarta (UTC+7) on a day of 2026.
func wib(month time.Month, day, hour int) time.Time {
	return time.Date(2026, month, day, hour-7, 0, 0, 0, time.UTC)
}

// The due day is 3 working days after intake in the office's own calendar:
// weekends, national holidays and collective leave (the 2026 seed) are
// skipped, and the office's zone decides which day an instant falls on.
func TestSLADueDayFollowsTheOfficeCalendar(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	ctx := context.Background()
	for _, c := range []struct {
		office string
		at     time.Time
		want   string
		why    string
	}{
		{"JKS", wib(3, 2, 9), "2026-03-05", "Monday: Tue, Wed, Thu"},
		{"JKS", wib(3, 6, 9), "2026-03-11", "Friday: the weekend does not count"},
		{"JKS", wib(3, 17, 9), "2026-03-27", "before Nyepi and Idul Fitri: 18–24 March are holidays, leave or weekend"},
		{"JKS", wib(2, 13, 9), "2026-02-20", "Friday before Imlek: 16 Feb leave, 17 Feb holiday"},
		// 16:30 UTC Thursday 5 March is 23:30 in Jakarta but 00:30 Friday in Denpasar.
		{"JKS", time.Date(2026, 3, 5, 16, 30, 0, 0, time.UTC), "2026-03-10", "Thursday night in WIB"},
		{"DPS", time.Date(2026, 3, 5, 16, 30, 0, 0, time.UTC), "2026-03-11", "already Friday in WITA"},
	} {
		due, err := in.App.SLA.Due(ctx, c.office, c.at)
		if err != nil || civil.Date(due) != c.want {
			t.Errorf("%s %s (%s): due %s %v, want %s", c.office, c.at.Format(time.RFC3339), c.why, civil.Date(due), err, c.want)
		}
	}
}

// pipeline moves applications through the stage machine as the office's
// officers would, with the clock where the test puts it.
type pipeline struct {
	t   *testing.T
	in  *apptest.Instance
	clk *clock.Fake
	seq int
}

func (p *pipeline) add(office, service string, at time.Time) string {
	p.t.Helper()
	p.seq++
	no := fmt.Sprintf("%s-%s-A%03d", office, at.Format("20060102"), p.seq)
	p.clk.Set(at)
	p.in.AddApplicant(p.t, application.New{No: no, Office: office, Service: service, NIK: apptest.NIK("1990-10-20", true, 2000+p.seq),
		FullName: "Siti Aminah", BirthDate: time.Date(1990, 10, 20, 0, 0, 0, 0, time.UTC), Sex: "F"}, civil.StageQueued, at)
	return no
}

// move makes one move at the instant at as an officer of role.
func (p *pipeline) move(no string, to civil.Stage, role string, at time.Time) {
	p.t.Helper()
	p.clk.Set(at)
	_, err := p.in.App.Backoffice.Stages.Move(context.Background(), application.Request{No: no, To: to,
		Actor: application.Actor{Kind: application.KindOfficer, ID: "1", Office: no[:3], Roles: []string{role}}})
	if err != nil {
		p.t.Fatalf("%s to %s: %v", no, to, err)
	}
}

// toReady takes an application from queued to ready at the instant at,
// paying its bill at the cashier; it returns the amount paid.
func (p *pipeline) toReady(no string, at time.Time) int64 {
	p.t.Helper()
	p.move(no, civil.StageDesk, "desk", at)
	p.move(no, civil.StageBiometric, "desk", at)
	p.move(no, civil.StageAdjudication, "biometric", at)
	p.move(no, civil.StageBilling, "adjudicator", at)
	b, err := p.in.App.Billing.ByApplication(context.Background(), no)
	if err != nil {
		p.t.Fatal(err)
	}
	if _, err := p.in.App.Billing.CashierPaid(context.Background(), billing.CashierPayment{BillingCode: b.BillingCode,
		Amount: b.Amount, ReceiptNo: "R-" + no, Officer: "officer:1", Office: no[:3]}); err != nil {
		p.t.Fatal(err)
	}
	p.move(no, civil.StageValidation, "printer", at)
	p.move(no, civil.StageReady, "validator", at)
	return b.Amount
}

// The hourly sweep flags an application at risk the working day before it
// is due and late once past it, each exactly once (with its audit entry);
// the dashboard counts them and lists the late one; ready after the due day
// counts as missed.
func TestSLASweepFlagsAtRiskThenLate(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	ctx := context.Background()
	p := &pipeline{t: t, in: in, clk: clk}
	a := p.add("JKS", civil.ServiceNew, wib(3, 2, 8))
	p.move(a, civil.StageDesk, "desk", wib(3, 2, 9)) // due Thu 5 March
	b := p.add("JKS", civil.ServiceRenewal, wib(3, 4, 8))
	p.move(b, civil.StageDesk, "desk", wib(3, 4, 9)) // due Mon 9 March

	sweep := func(at time.Time, want sla.Flagged) {
		t.Helper()
		clk.Set(at)
		got, err := in.App.SLA.SweepNow(ctx)
		if err != nil || got != want {
			t.Fatalf("sweep at %s: %+v %v, want %+v", at.Format(time.RFC3339), got, err, want)
		}
	}
	sweep(wib(3, 3, 10), sla.Flagged{})
	sweep(wib(3, 4, 10), sla.Flagged{AtRisk: 1}) // a: due tomorrow
	sweep(wib(3, 6, 10), sla.Flagged{AtRisk: 1, Late: 1})
	sweep(wib(3, 6, 11), sla.Flagged{}) // nothing twice

	head := in.OfficerToken(t, "JKS", "jks.head", "validator")
	r := in.Do(t, "GET", "/api/v1/backoffice/sla", head, nil)
	var d sla.Dashboard
	r.JSON(t, &d)
	if r.Status != 200 || d.Counts != (sla.Counts{AtRisk: 1, Late: 1}) || len(d.Late) != 1 || d.Late[0].No != a ||
		d.Late[0].DueOn != "2026-03-05" || d.Late[0].DaysLate != 1 || d.Late[0].Stage != civil.StageDesk {
		t.Fatalf("dashboard: %d %+v", r.Status, d)
	}
	if r := in.Do(t, "GET", "/api/v1/backoffice/sla", in.OfficerToken(t, "JKS", "jks.desk", "desk"), nil); r.Status != 403 {
		t.Fatalf("desk reads the SLA dashboard: %d", r.Status)
	}
	if r := in.Do(t, "GET", "/api/v1/backoffice/sla", in.OfficerToken(t, "DPS", "dps.head", "validator"), nil); !strings.Contains(string(r.Body), `"late":[]`) {
		t.Fatalf("another office's head sees JKS's late ones: %s", r.Body)
	}
	var flags int
	if err := in.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE office = 'JKS' AND action = 'sla.late' AND subject = $1`,
		"application:"+a).Scan(&flags); err != nil || flags != 1 {
		t.Fatalf("late flag audited %d times (%v), want once", flags, err)
	}

	// a reaches ready on Monday 9 March: the promise was missed.
	p.move(a, civil.StageBiometric, "desk", wib(3, 9, 9))
	p.move(a, civil.StageAdjudication, "biometric", wib(3, 9, 9))
	p.move(a, civil.StageBilling, "adjudicator", wib(3, 9, 9))
	bill, _ := in.App.Billing.ByApplication(ctx, a)
	if _, err := in.App.Billing.CashierPaid(ctx, billing.CashierPayment{BillingCode: bill.BillingCode, Amount: bill.Amount,
		ReceiptNo: "R-1", Officer: "officer:1", Office: "JKS"}); err != nil {
		t.Fatal(err)
	}
	p.move(a, civil.StageValidation, "printer", wib(3, 9, 10))
	p.move(a, civil.StageReady, "validator", wib(3, 9, 11))
	att, err := in.App.SLA.AttainmentOn(ctx, "JKS", apptest.Day("2026-03-09"))
	if err != nil || att != (sla.Attainment{Missed: 1}) {
		t.Fatalf("attainment on 9 March: %+v %v", att, err)
	}
	if c, _ := in.App.SLA.Counts(ctx, "JKS"); c != (sla.Counts{AtRisk: 1}) {
		t.Fatalf("after a is ready: %+v", c)
	}
}

// The recap's figures are those of the seeded day: applications by service
// and stage, passports handed over, revenue from the bills paid, the SLA
// kept; blanks and satisfaction are n/a until their owners are wired. The
// CSV carries the same figures and the chart is an SVG.
func TestDailyRecapMatchesTheDay(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	p := &pipeline{t: t, in: in, clk: clk}
	day := wib(3, 2, 8)
	ready := p.add("JKS", civil.ServiceNew, day)
	paid := p.toReady(ready, wib(3, 2, 10))
	p.move(ready, civil.StagePickedUp, "pickup", wib(3, 2, 15))
	atDesk := p.add("JKS", civil.ServiceNew, day)
	p.move(atDesk, civil.StageDesk, "desk", wib(3, 2, 11))
	p.add("JKS", civil.ServiceRenewal, day)
	p.add("JKB", civil.ServiceNew, day)
	p.add("JKS", civil.ServiceNew, wib(3, 3, 8)) // the next day: not in the recap

	head := in.OfficerToken(t, "JKS", "jks.head", "validator")
	r := in.Do(t, "GET", "/api/v1/backoffice/reports/daily?date=2026-03-02", head, nil)
	var v struct {
		Office struct {
			Applications int
			Issued       int
			ByService    []struct {
				Service string
				Total   int
				Stages  map[string]int
			} `json:"by_service"`
			Blanks  *struct{} `json:"blanks"`
			Revenue *struct {
				Amount int64 `json:"amount_idr"`
				Paid   int   `json:"bills_paid"`
			}
			SLA *struct {
				Met     int
				Percent float64
			} `json:"sla"`
			Satisfaction *struct{} `json:"satisfaction"`
		}
	}
	r.JSON(t, &v)
	o := v.Office
	if r.Status != 200 || o.Applications != 3 || o.Issued != 1 || len(o.ByService) != 2 ||
		o.ByService[0].Service != "new" || o.ByService[0].Stages["picked_up"] != 1 || o.ByService[0].Stages["desk"] != 1 ||
		o.ByService[1].Service != "renewal" || o.ByService[1].Stages["queued"] != 1 {
		t.Fatalf("recap: %d %s", r.Status, r.Body)
	}
	if o.Revenue == nil || o.Revenue.Amount != paid || paid <= 0 || o.Revenue.Paid != 1 || o.SLA == nil || o.SLA.Met != 1 ||
		o.SLA.Percent != 100 || o.Blanks == nil || o.Satisfaction == nil { // wired: the ledger and feedback (none that day)
		t.Fatalf("figures of other domains: %s", r.Body)
	}

	csv := in.Do(t, "GET", "/api/v1/backoffice/reports/daily.csv?date=2026-03-02", head, nil)
	body := string(csv.Body)
	for _, line := range []string{"office,date,figure,service,stage,value", "JKS,2026-03-02,applications,,,3",
		"JKS,2026-03-02,applications,new,picked_up,1", "JKS,2026-03-02,applications,renewal,queued,1", "JKS,2026-03-02,issued,,,1",
		fmt.Sprintf("JKS,2026-03-02,revenue_idr,,,%d", paid), "JKS,2026-03-02,sla_attainment_pct,,,100.0",
		"JKS,2026-03-02,blanks_used,,,0"} {
		if !strings.Contains(body, line+"\n") {
			t.Errorf("CSV lacks %q:\n%s", line, body)
		}
	}
	if ct := csv.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("CSV content type %q", ct)
	}

	// The regional head sees the region's offices and their sum; another
	// region's office is not found.
	rh := regionalHead(t, in, "DKI Jakarta")
	r = in.Do(t, "GET", "/api/v1/backoffice/reports/daily?date=2026-03-02", rh, nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), `"region":"DKI Jakarta"`) || !strings.Contains(string(r.Body), `"office":"JKB"`) {
		t.Fatalf("region recap: %d %s", r.Status, r.Body)
	}
	var rr struct {
		Region struct{ Total struct{ Applications int } }
	}
	r.JSON(t, &rr)
	if rr.Region.Total.Applications != 4 {
		t.Fatalf("region total: %s", r.Body)
	}
	if r := in.Do(t, "GET", "/api/v1/backoffice/reports/daily?office=DPS", rh, nil); r.Status != 404 {
		t.Fatalf("another region's office: %d", r.Status)
	}
	if r := in.Do(t, "GET", "/api/v1/backoffice/reports/daily?office=JKB", head, nil); r.Status != 404 {
		t.Fatalf("an office head reads another office: %d", r.Status)
	}
	if r := in.Do(t, "GET", "/api/v1/backoffice/reports/daily?date=02-03-2026", head, nil); r.Status != 422 || !strings.Contains(string(r.Body), `"date"`) {
		t.Fatalf("bad date: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "GET", "/api/v1/backoffice/reports/daily", in.OfficerToken(t, "JKS", "jks.desk", "desk"), nil); r.Status != 403 {
		t.Fatalf("desk reads the recap: %d", r.Status)
	}

	cookie := officer.OfficerCookie + "=" + head
	svg := in.Do(t, "GET", "/backoffice/reports/chart.svg?date=2026-03-02", "", nil, "Cookie", cookie)
	if svg.Status != 200 || svg.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(string(svg.Body), "<svg") ||
		!strings.Contains(string(svg.Body), "Paspor baru") {
		t.Fatalf("chart: %d %s %.300s", svg.Status, svg.Header.Get("Content-Type"), svg.Body)
	}
	page := in.Do(t, "GET", "/backoffice/reports?date=2026-03-02", "", nil, "Cookie", cookie)
	if page.Status != 200 || !strings.Contains(string(page.Body), `id="fig-applications">3<`) ||
		!strings.Contains(string(page.Body), `id="fig-blanks">0 / 0<`) || !strings.Contains(string(page.Body), "/backoffice/reports/chart.svg?") {
		t.Fatalf("recap page: %d %.2000s", page.Status, page.Body)
	}
}

// regionalHead adds a regional head of region and signs in.
func regionalHead(t *testing.T, in *apptest.Instance, region string) string {
	t.Helper()
	const pw = "correct-horse-battery"
	if _, err := officer.AddOfficer(context.Background(), in.Pool, officer.NewOfficer{Username: "region.head", Password: pw,
		Region: region, Roles: []string{"regional_head"}}, "test", in.App.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	r := in.Do(t, "POST", "/api/v1/backoffice/login", "", map[string]string{"username": "region.head", "password": pw})
	var out struct{ Token string }
	r.JSON(t, &out)
	return out.Token
}
