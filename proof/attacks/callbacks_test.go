package attacks

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/proof/prooftest"
	"github.com/sppt/sppt/sms/smstest"
)

// check is one callback sent and what must hold of its answer.
type check struct {
	name string
	ok   bool
	got  apptest.Response
}

// count is one number the database holds, for "no second effect".
func (w *world) count(sql string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.in.Pool.QueryRow(w.ctx, sql, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// twilio posts form to path as Twilio would, with signature sig ("" none).
func (w *world) twilio(path string, form url.Values, sig string) apptest.Response {
	var hdr []string
	if sig != "" {
		hdr = []string{"X-Twilio-Signature", sig}
	}
	return w.in.Do(w.t, "POST", path, "", form.Encode(), append(hdr, "Content-Type", "application/x-www-form-urlencoded")...)
}

// TestForgedAndReplayedCallbacks sends Twilio's inbound webhook and status
// callback, and the bank's payment callback, forged (no, wrong or another
// request's signature, a stale one) and replayed: every forgery refused,
// every replay answered as the first time with no second effect (rows counted).
func TestForgedAndReplayedCallbacks(t *testing.T) {
	w := newWorld(t)
	w.start()
	var checks []check
	add := func(name string, ok bool, got apptest.Response) { checks = append(checks, check{name, ok, got}) }
	forbidden := func(r apptest.Response, status int) bool { return r.Status == status && r.ErrorCode() != "" }

	// Inbound SMS: JOIN JKS subscribes the sender, once per MessageSid.
	const inbound, status = "/api/v1/sms/inbound", "/api/v1/sms/status"
	join := url.Values{"MessageSid": {"SMproofjoin0001"}, "From": {"+6281299990001"}, "Body": {"JOIN JKS"}}
	sig := smstest.Sign(twilioToken, w.in.URL+inbound, join)
	tampered := url.Values{"MessageSid": {"SMproofjoin0001"}, "From": {"+6281299990002"}, "Body": {"JOIN JKS"}}
	add("inbound without a signature", forbidden(w.twilio(inbound, join, ""), 403), apptest.Response{})
	add("inbound with a wrong signature", forbidden(w.twilio(inbound, join, smstest.Sign("not-the-token", w.in.URL+inbound, join)), 403), apptest.Response{})
	add("inbound with another sender under the signature", forbidden(w.twilio(inbound, tampered, sig), 403), apptest.Response{})
	add("inbound signed for the status URL", forbidden(w.twilio(inbound, join, smstest.Sign(twilioToken, w.in.URL+status, join)), 403), apptest.Response{})
	subscribed := func() int {
		return w.count(`SELECT count(*) FROM sms_subscriptions WHERE phone = $1`, "+6281299990001") +
			w.count(`SELECT count(*) FROM sms_inbound WHERE message_sid = $1`, "SMproofjoin0001") +
			w.count(`SELECT count(*) FROM audit_log WHERE subject = $1`, "sms_inbound:SMproofjoin0001")
	}
	if n := subscribed(); n != 0 {
		t.Fatalf("a refused webhook left %d rows", n)
	}
	first := w.twilio(inbound, join, sig)
	add("inbound, genuine", first.Status == 200, first)
	again := w.twilio(inbound, join, sig)
	add("inbound replayed: the first reply, no second row", again.Status == 200 && string(again.Body) == string(first.Body) && subscribed() == 3, again)

	// Status callback: a delivered OTP fails with 21610 (the carrier's
	// STOP): the message becomes failed and the phone opted out, once.
	sid := w.sentSid(t, "+6281299990003")
	failed := url.Values{"MessageSid": {sid}, "MessageStatus": {"failed"}, "ErrorCode": {"21610"}}
	ssig := smstest.Sign(twilioToken, w.in.URL+status, failed)
	add("status without a signature", forbidden(w.twilio(status, failed, ""), 403), apptest.Response{})
	add("status with a wrong signature", forbidden(w.twilio(status, failed, smstest.Sign("not-the-token", w.in.URL+status, failed)), 403), apptest.Response{})
	other := url.Values{"MessageSid": {sid}, "MessageStatus": {"delivered"}, "ErrorCode": {"21610"}}
	add("status with another status under the signature", forbidden(w.twilio(status, other, ssig), 403), apptest.Response{})
	msg := func() string {
		var s string
		if err := w.in.Pool.QueryRow(w.ctx, `SELECT status || ' ' || updated_at::text || ' ' || (SELECT count(*) FROM sms_optouts WHERE phone = to_phone)
			FROM sms_messages WHERE provider_sid = $1`, sid).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := msg()
	r := w.twilio(status, failed, ssig)
	after := msg()
	add("status, genuine", r.Status == 204 && after != before && after[:7] == "failed " && after[len(after)-2:] == " 1", r)
	w.clk.Advance(time.Second)
	r = w.twilio(status, failed, ssig)
	add("status replayed: no second write", r.Status == 204 && msg() == after, r)

	checks = append(checks, w.bankChecks(t)...)
	held := 0
	for _, c := range checks {
		if c.ok {
			held++
		} else {
			t.Errorf("%s: %d %.200s", c.name, c.got.Status, c.got.Body)
		}
	}
	prooftest.Line(t, "attacks", "forged and replayed Twilio and bank callbacks", held, len(checks),
		prooftest.Figure("twilio", len(checks)-bankChecksN), prooftest.Figure("bank", bankChecksN))
}

// sentSid has the outbox send phone a sign-in code (the log driver) and
// returns the provider's sid the message was stored with.
func (w *world) sentSid(t testing.TB, phone string) string {
	if r := w.in.Do(t, "POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone}); r.Status != 202 {
		t.Fatalf("otp: %d %s", r.Status, r.Body)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var sid *string
		err := w.in.Pool.QueryRow(w.ctx, `SELECT provider_sid FROM sms_messages WHERE to_phone = $1 AND status = 'sent'`, phone).Scan(&sid)
		if err == nil && sid != nil {
			return *sid
		}
	}
	t.Fatal("the sign-in SMS was never sent")
	return ""
}

const bankChecksN = 8

// bankChecks pays a bill by the bank's callback: forged, stale and
// tampered signatures refused (401), the genuine one applied, a retry with
// the same reference answered alike with nothing changed twice, and the
// captured request replayed after five minutes refused.
func (w *world) bankChecks(t testing.TB) []check {
	code := w.billed()
	var amount int64
	var no string
	if err := w.in.Pool.QueryRow(w.ctx, `SELECT amount, application_no FROM bills WHERE billing_code = $1`, code).Scan(&amount, &no); err != nil {
		t.Fatal(err)
	}
	now := w.clk.Now()
	body := func(ref string, amt int64) []byte {
		b, _ := json.Marshal(map[string]any{"billing_code": code, "amount": amt, "paid_at": now.Format(time.RFC3339), "reference": ref})
		return b
	}
	good := body("BANK-REF-0001", amount)
	sig := billing.Sign([]byte(bankSecret), good, now)
	send := func(b []byte, sig string) apptest.Response {
		var hdr []string
		if sig != "" {
			hdr = []string{"X-SPPT-Signature", sig}
		}
		return w.in.Do(t, "POST", "/api/v1/payments/callback", "", b, hdr...)
	}
	effects := func() string {
		return fmt.Sprint(w.count(`SELECT count(*) FROM payment_callbacks WHERE billing_code = $1`, code),
			w.count(`SELECT count(*) FROM application_history h JOIN applications a ON a.id = h.application_id
				WHERE a.application_no = $1 AND h.to_stage = 'printing'`, no),
			w.count(`SELECT count(*) FROM print_jobs WHERE application_no = $1`, no),
			w.count(`SELECT count(*) FROM bills WHERE billing_code = $1 AND status = 'paid'`, code))
	}
	unauth := func(r apptest.Response) bool { return r.Status == 401 && r.ErrorCode() != "" }
	var out []check
	add := func(name string, ok bool, r apptest.Response) { out = append(out, check{name, ok, r}) }
	add("bank without a signature", unauth(send(good, "")), apptest.Response{})
	add("bank with a wrong key", unauth(send(good, billing.Sign([]byte("not-the-bank-secret-at-all"), good, now))), apptest.Response{})
	add("bank, a stale signature (6 minutes)", unauth(send(good, billing.Sign([]byte(bankSecret), good, now.Add(-6*time.Minute)))), apptest.Response{})
	add("bank, another reference under the signature", unauth(send(body("BANK-REF-0002", amount), sig)), apptest.Response{})
	add("bank, a malformed signature header", unauth(send(good, "v1=deadbeef")), apptest.Response{})
	if e := effects(); e != "0 0 0 0" {
		t.Fatalf("refused bank callbacks left effects: %s", e)
	}
	first := send(good, sig)
	add("bank, genuine", first.Status == 200 && effects() == "1 1 1 1", first)
	again := send(good, sig)
	add("bank replayed: the first answer, nothing twice", again.Status == 200 && string(again.Body) == string(first.Body) && effects() == "1 1 1 1", again)
	w.clk.Advance(6 * time.Minute)
	late := send(good, sig)
	add("bank replayed after five minutes", unauth(late) && effects() == "1 1 1 1", late)
	return out
}
