package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
)

// TestPipelineCheckInToPrinting drives one application by API from kiosk
// check-in through desk, biometric and adjudication to a signed bank
// callback, and checks the refusals on the way: an illegal move, another
// office, a role that may not act, a rejection without a reason.
func TestPipelineCheckInToPrinting(t *testing.T) {
	t.Parallel()
	const secret = "test-bank-secret-0123456789"
	clk := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk, Configure: func(c *config.Config) { c.BankCallbackSecret = secret }})
	in.OpenDay(t, "JKS", "2026-03-04", 5, 5)
	const phone, local = "+6281299880011", "081299880011"
	nik := apptest.NIK("1990-10-20", true, 1101)

	in.Do(t, "POST", "/api/v1/auth/otp", "", map[string]string{"phone": local})
	r := in.Do(t, "POST", "/api/v1/auth/verify", "", map[string]string{"phone": local, "code": in.LastOTP(t, phone)})
	var v struct{ Token string }
	r.JSON(t, &v)
	r = in.Do(t, "POST", "/api/v1/bookings", v.Token, map[string]string{"office": "JKS", "date": "2026-03-04", "service": "new",
		"nik": nik, "full_name": "Siti Zulaikha", "birth_date": "1990-10-20", "sex": "F"})
	var b struct {
		BookingCode string `json:"booking_code"`
	}
	r.JSON(t, &b)
	clk.Set(time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)) // 09:00 in Jakarta
	r = in.Do(t, "POST", "/api/v1/kiosk/checkin", in.DeviceToken(t, "JKS", "kiosk", "Kiosk 1"),
		map[string]string{"booking_code": b.BookingCode, "nik": nik})
	var ck struct {
		ApplicationNo string `json:"application_no"`
	}
	r.JSON(t, &ck)
	if r.Status != 200 && r.Status != 201 || ck.ApplicationNo == "" {
		t.Fatalf("check-in: %d %s", r.Status, r.Body)
	}
	no := ck.ApplicationNo
	path := "/api/v1/backoffice/applications/" + no

	desk := in.OfficerToken(t, "JKS", "jks.desk", "desk")
	bio := in.OfficerToken(t, "JKS", "jks.bio", "biometric")
	adj := in.OfficerToken(t, "JKS", "jks.adj", "adjudicator")
	other := in.OfficerToken(t, "DPS", "dps.desk", "desk")

	r = in.Do(t, "GET", "/api/v1/backoffice/applications?stage=queued&date=2026-03-04", desk, nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), `"application_no":"`+no+`"`) {
		t.Fatalf("list queued: %d %s", r.Status, r.Body)
	}
	move := func(token, to, reason string, want int) apptest.Response {
		t.Helper()
		r := in.Do(t, "POST", path+"/transitions", token, map[string]string{"to": to, "reason": reason})
		if r.Status != want {
			t.Fatalf("move to %s: %d %s, want %d", to, r.Status, r.Body, want)
		}
		return r
	}
	move(desk, "desk", "", 200)
	move(desk, "biometric", "", 200)
	if r := move(desk, "adjudication", "", 403); r.ErrorCode() != "transition_forbidden" {
		t.Fatalf("desk moving biometric on: %s", r.Body)
	}
	move(bio, "adjudication", "", 200)
	r = move(adj, "printing", "", 409)
	if r.ErrorCode() != "invalid_transition" || !strings.Contains(string(r.Body), `"adjudication"`) {
		t.Fatalf("illegal move does not name the stage: %s", r.Body)
	}
	r = in.Do(t, "POST", path+"/transitions", adj, map[string]string{"to": "printing"}, "Accept-Language", "en")
	if !strings.Contains(string(r.Body), `in stage \"adjudication\"`) {
		t.Fatalf("English message: %s", r.Body)
	}
	if r := in.Do(t, "GET", path, other, nil); r.Status != 404 {
		t.Fatalf("another office reads the application: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", path+"/transitions", other, map[string]string{"to": "cancelled", "reason": "x"}); r.Status != 404 {
		t.Fatalf("another office moves the application: %d %s", r.Status, r.Body)
	}
	r = in.Do(t, "POST", "/api/v1/backoffice/adjudication/"+no+"/reject", adj, map[string]string{})
	if r.Status != 422 || !strings.Contains(string(r.Body), `"reason"`) {
		t.Fatalf("rejection without a reason: %d %s", r.Status, r.Body)
	}
	r = in.Do(t, "GET", "/api/v1/backoffice/adjudication/inbox", adj, nil)
	if !strings.Contains(string(r.Body), no) {
		t.Fatalf("inbox: %s", r.Body)
	}
	r = in.Do(t, "POST", "/api/v1/backoffice/adjudication/"+no+"/approve", adj, map[string]string{"reason": "documents and checks in order"})
	if r.Status != 200 || !strings.Contains(string(r.Body), `"stage":"billing"`) {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}

	ctx := context.Background()
	var code string
	var amount int64
	if err := in.Pool.QueryRow(ctx, `SELECT billing_code, amount FROM bills WHERE application_no = $1 AND status = 'unpaid'`, no).
		Scan(&code, &amount); err != nil {
		t.Fatalf("no bill issued on approval: %v", err)
	}
	var sms int
	if err := in.Pool.QueryRow(ctx, `SELECT count(*) FROM sms_messages WHERE kind = 'bill_issued' AND body LIKE '%'||$1||'%'`, code).
		Scan(&sms); err != nil || sms != 1 {
		t.Fatalf("bill SMS: %d %v", sms, err)
	}
	body := fmt.Sprintf(`{"billing_code":%q,"amount":%d,"paid_at":%q,"reference":"BNI-778899"}`, code, amount,
		clk.Now().Format(time.RFC3339))
	r = in.Do(t, "POST", "/api/v1"+billing.CallbackPath, "", body, billing.SignatureHeader, billing.Sign([]byte(secret), []byte(body), clk.Now()))
	if r.Status != 200 {
		t.Fatalf("bank callback: %d %s", r.Status, r.Body)
	}

	r = in.Do(t, "GET", path, desk, nil)
	var rec struct {
		Stage   string
		Office  string
		History []struct{ Stage, Actor, Reason string }
	}
	r.JSON(t, &rec)
	var steps []string
	for _, h := range rec.History {
		steps = append(steps, h.Stage+"/"+strings.SplitN(h.Actor, ":", 2)[0])
	}
	want := "queued/kiosk desk/officer biometric/officer adjudication/officer billing/officer printing/bank"
	if rec.Stage != "printing" || strings.Join(steps, " ") != want {
		t.Fatalf("record: stage %s history %v, want %s", rec.Stage, steps, want)
	}
	if rec.History[4].Reason != "documents and checks in order" {
		t.Fatalf("approval reason not kept: %+v", rec.History[4])
	}

	r = in.Do(t, "GET", "/api/v1/applications/"+no+"/status?birth_date=1990-10-20", "", nil)
	var st struct {
		Stage      string
		StatusText string `json:"status_text"`
		NextText   string `json:"next_text"`
	}
	r.JSON(t, &st)
	if st.Stage != "printing" || !strings.Contains(st.StatusText, "sedang dicetak") || st.NextText == "" {
		t.Fatalf("status: %s", r.Body)
	}
}
