package sms_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/sms"
	"github.com/sppt/sppt/sms/smstest"
)

const (
	testAccount = "ACtest0000000000000000000000000001"
	testToken   = "authtoken12345"
)

// 10 June 2026, 09:00 WIB: a Wednesday, JKS is open.
var testNow = time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC)

var sidSeq atomic.Int64

// webhook posts a signed (or forged) Twilio webhook.
func webhook(t *testing.T, in *apptest.Instance, path string, form url.Values, signature string) apptest.Response {
	t.Helper()
	if signature == "" {
		signature = smstest.Sign(testToken, in.URL+"/api/v1"+path, form)
	}
	return in.Do(t, "POST", "/api/v1"+path, "", form.Encode(),
		"Content-Type", "application/x-www-form-urlencoded", "X-Twilio-Signature", signature)
}

// text sends body from phone and returns the TwiML reply's text.
func text(t *testing.T, in *apptest.Instance, from, body string) string {
	t.Helper()
	form := url.Values{"MessageSid": {fmt.Sprintf("SM%030d", sidSeq.Add(1))}, "AccountSid": {testAccount},
		"From": {from}, "To": {"+14155550100"}, "Body": {body}, "NumMedia": {"0"}}
	r := webhook(t, in, sms.InboundPath, form, "")
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/xml") {
		t.Fatalf("%q: %d %s", body, r.Status, r.Body)
	}
	return replyText(t, string(r.Body))
}

func replyText(t *testing.T, twiml string) string {
	t.Helper()
	const open, end = "<Response><Message>", "</Message></Response>"
	i, j := strings.Index(twiml, open), strings.LastIndex(twiml, end)
	if i < 0 || j < i {
		t.Fatalf("not a TwiML message: %s", twiml)
	}
	return twiml[i+len(open) : j]
}

func startInstance(t *testing.T, configure func(*config.Config)) *apptest.Instance {
	t.Helper()
	return apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(testNow), Configure: func(c *config.Config) {
		c.TwilioAuthToken = testToken
		c.TwilioAccountSID = testAccount
		if configure != nil {
			configure(c)
		}
	}})
}

// The published vector of DOMAIN.md, through twilio-go's validator and our signer.
func TestSignatureVector(t *testing.T) {
	t.Parallel()
	params := map[string]string{"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234",
		"From": "+14158675309", "To": "+18005551212"}
	const u, want = "https://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8="
	v := client.NewRequestValidator("12345")
	if !v.Validate(u, params, want) {
		t.Error("validator rejects the published vector")
	}
	if v.Validate(u, params, "RSOYDt4T1cUTdK1PDd93/VVr8B9=") {
		t.Error("validator accepts a wrong signature")
	}
	form := url.Values{}
	for k, val := range params {
		form.Set(k, val)
	}
	if got := smstest.Sign("12345", u, form); got != want {
		t.Errorf("smstest.Sign = %s, want %s", got, want)
	}
}

func TestInboundRefusesForgedSignatures(t *testing.T) {
	t.Parallel()
	in := startInstance(t, nil)
	form := url.Values{"MessageSid": {"SM1"}, "From": {"+6281234567890"}, "To": {"+14155550100"}, "Body": {"DAFTAR JKS"}}
	forged := map[string]string{
		"wrong token":   smstest.Sign("other-token", in.URL+"/api/v1/sms/inbound", form),
		"wrong url":     smstest.Sign(testToken, "https://evil.example/api/v1/sms/inbound", form),
		"garbage":       "abc",
		"body modified": smstest.Sign(testToken, in.URL+"/api/v1/sms/inbound", url.Values{"MessageSid": {"SM1"}, "From": {"+6281234567890"}, "Body": {"KUOTA JKS"}}),
	}
	for name, sig := range forged {
		if r := webhook(t, in, sms.InboundPath, form, sig); r.Status != 403 || r.ErrorCode() != "sms_signature_invalid" {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	r := in.Do(t, "POST", "/api/v1/sms/inbound", "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if r.Status != 403 {
		t.Errorf("unsigned: %d", r.Status)
	}
	if r := webhook(t, in, sms.StatusPath, url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"delivered"}}, "bad"); r.Status != 403 {
		t.Errorf("status callback with a forged signature: %d", r.Status)
	}
	var n int
	if err := in.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sms_subscriptions`).Scan(&n); err != nil || n != 0 {
		t.Errorf("a forged DAFTAR subscribed someone: %d %v", n, err)
	}
	// Twilio may add parameters at any time: they are signed and accepted.
	form.Set("SmsStatus", "received")
	form.Set("ApiVersion", "2010-04-01")
	if r := webhook(t, in, sms.InboundPath, form, ""); r.Status != 200 {
		t.Errorf("signed with extra parameters: %d %s", r.Status, r.Body)
	}
}

func TestInboundKeywords(t *testing.T) {
	t.Parallel()
	in := startInstance(t, nil)
	ctx := context.Background()
	day := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
	if _, err := in.App.Quota.SetDay(ctx, "JKS", day, 120, 40, nil, "test"); err != nil {
		t.Fatal(err)
	}
	const phone, other = "+6281234567890", "+6281298765432"
	in.AddApplication(t, "JKS-2026-000123", phone, civil.StagePrinting, testNow)
	tests := []struct{ body, from, want string }{
		{"KUOTA JKS", phone, "Kanim Jakarta Selatan 10-06-2026: online sisa 120 dari 120, walk-in sisa 40 dari 40"},
		{"  kuota   jks  ", phone, "online sisa 120 dari 120"},
		{"QUOTA JKS", phone, "online 120 of 120 left, walk-in 40 of 40 left"},
		{"KUOTA JKS 13-06", phone, "tidak melayani pada 13-06-2026"}, // a Saturday
		{"KUOTA XYZ", phone, "Kode kantor XYZ tidak dikenal"},
		{"KUOTA", phone, "Format: KUOTA kode-kantor"},
		{"ANTRIAN JKS", phone, "belum ada nomor antrian dipanggil. Menunggu: 0 orang"},
		{"QUEUE JKS", phone, "no queue numbers called yet"},
		{"STATUS JKS-2026-000123", phone, "Permohonan JKS-2026-000123: dibayar, paspor sedang dicetak; berikutnya pengesahan."},
		{"STATUS JKS-2026-000123", other, "tidak ditemukan untuk nomor HP ini"}, // not the registered phone
		{"STATUS JKS-2026-999999", phone, "tidak ditemukan untuk nomor HP ini"},
		{"DAFTAR JKS", phone, "Terdaftar: info kuota harian Kanim Jakarta Selatan"},
		{"JOIN DPS", other, "Subscribed: Kanim Denpasar daily quota info"},
		{"BERHENTI", phone, "tidak akan menerima info kuota lagi"},
		{"STOP", other, "no more quota broadcasts"},
		{"MULAI", phone, "Info kuota aktif kembali"},
		{"START", other, "Quota broadcasts resumed"},
		{"BANTUAN", phone, "SPPT: KUOTA JKS"},
		{"HELP", phone, "SPPT: QUOTA JKS"},
		{"halo apa kabar", phone, "SPPT: KUOTA JKS"},
		{"KUOTA JKS", "whatsapp:" + phone, "online sisa 120 dari 120"},
	}
	for _, tt := range tests {
		got := text(t, in, tt.from, tt.body)
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s from %s:\n  got  %q\n  want …%q…", tt.body, tt.from, got, tt.want)
		}
		if n, enc := sms.Segments(got); n != 1 || enc != sms.GSM7 {
			t.Errorf("%s: reply is %d %s segments: %q", tt.body, n, enc, got)
		}
	}
	var subs, stopped int
	_ = in.Pool.QueryRow(ctx, `SELECT count(*) FROM sms_subscriptions`).Scan(&subs)
	_ = in.Pool.QueryRow(ctx, `SELECT count(*) FROM sms_optouts`).Scan(&stopped)
	if subs != 2 || stopped != 0 {
		t.Errorf("subscriptions %d (want 2), opted out %d (want 0)", subs, stopped)
	}
	var audits int
	_ = in.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action LIKE 'sms.%'`).Scan(&audits)
	if audits != 6 {
		t.Errorf("audit entries for subscription changes: %d, want 6", audits)
	}
}

// A retried webhook (same MessageSid) gets the first reply and changes nothing again.
func TestInboundRetryIsDeduplicated(t *testing.T) {
	t.Parallel()
	in := startInstance(t, nil)
	ctx := context.Background()
	const phone = "+6281234567891"
	stop := url.Values{"MessageSid": {"SMstop1"}, "From": {"whatsapp:" + phone}, "To": {"whatsapp:+14155550100"}, "Body": {"BERHENTI"}}
	first := webhook(t, in, sms.InboundPath, stop, "")
	if first.Status != 200 {
		t.Fatalf("%d %s", first.Status, first.Body)
	}
	text(t, in, phone, "MULAI")
	again := webhook(t, in, sms.InboundPath, stop, "")
	if again.Status != 200 || string(again.Body) != string(first.Body) {
		t.Errorf("retry answered differently: %s vs %s", again.Body, first.Body)
	}
	var n int
	_ = in.Pool.QueryRow(ctx, `SELECT count(*) FROM sms_optouts WHERE phone = $1`, phone).Scan(&n)
	if n != 0 {
		t.Error("the retried BERHENTI stopped the phone again after MULAI")
	}
	var rows int
	_ = in.Pool.QueryRow(ctx, `SELECT count(*) FROM sms_inbound WHERE message_sid = 'SMstop1' AND channel = 'whatsapp'`).Scan(&rows)
	if rows != 1 {
		t.Errorf("inbound rows for the sid: %d", rows)
	}
}
