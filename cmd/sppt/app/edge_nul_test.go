package app_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/sms"
	"github.com/sppt/sppt/sms/smstest"
)

// nulField reads error.fields[name] of a 422 body ("" when absent).
func nulField(t *testing.T, r apptest.Response, name string) string {
	t.Helper()
	var e struct {
		Error struct {
			Code   string
			Fields map[string]string
		}
	}
	_ = json.Unmarshal(r.Body, &e)
	return e.Error.Fields[name]
}

// A NUL byte (PostgreSQL refuses it in text) is refused at the edge with a
// 422 naming the field, never a 500 — raw in JSON, %00 in a form, query or
// path; a signed Twilio webhook has it stripped instead, so Twilio does not
// retry a message it can never deliver.
func TestNULRefusedAtTheEdge(t *testing.T) {
	t.Parallel()
	const twilioToken = "authtoken-nul-0001"
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening), // an opening day: KUOTA answers with the quota whatever today is
		Configure: func(c *config.Config) { c.TwilioAuthToken = twilioToken }})
	head := in.OfficerToken(t, "JKS", "jks.head.nul", "validator")
	kiosk := in.DeviceToken(t, "JKS", "kiosk", "Kiosk NUL")

	want422 := func(what string, r apptest.Response, field string) {
		t.Helper()
		if r.Status != 422 || r.ErrorCode() != "nul_character" || nulField(t, r, field) == "" {
			t.Errorf("%s: %d %s; want 422 nul_character naming %q", what, r.Status, r.Body, field)
		}
		if strings.Contains(string(r.Body), "field.") {
			t.Errorf("%s: a raw message key: %s", what, r.Body)
		}
	}
	want422("officer login API", in.Do(t, "POST", "/api/v1/backoffice/login", "",
		`{"username":"jks.head.nul\u0000","password":"correct-horse-battery"}`), "username")
	want422("device heartbeat", in.Do(t, "POST", "/api/v1/devices/heartbeat", kiosk, `{"status":"paper\u0000ok"}`), "status")
	want422("running text API", in.Do(t, "PUT", "/api/v1/backoffice/running-text", head, `{"text":"Selamat\u0000datang"}`), "text")
	want422("query", in.Do(t, "GET", "/api/v1/offices/JKS/quota?from=2026-03-02%00&days=3", "", nil), "from")
	want422("nested JSON", in.Do(t, "POST", "/api/v1/backoffice/login", "",
		`{"username":"x","password":"y","extra":{"list":["ok","a\u0000"]}}`), "extra.list.1")
	if r := in.Do(t, "GET", "/api/v1/offices/JK%00S/queue", "", nil); r.Status != 422 || nulField(t, r, "path") == "" {
		t.Errorf("path: %d %s", r.Status, r.Body)
	}
	// An escaped backslash followed by u0000 is text, not a NUL.
	if r := in.Do(t, "POST", "/api/v1/backoffice/login", "", `{"username":"a\\u0000","password":"correct-horse-battery"}`); r.Status != 401 {
		t.Errorf(`"\\u0000" is not a NUL: %d %s`, r.Status, r.Body)
	}

	// The officer login page: the error page in the page's language, not a 500.
	st, _, body := apptest.Page(t, "POST", in.URL+"/backoffice/login", "",
		url.Values{"username": {"jks.head.nul\x00"}, "password": {"correct-horse-battery"}})
	if st != 422 || !strings.Contains(body, "<html") || !strings.Contains(body, "karakter NUL") {
		t.Errorf("officer login page: %d %.300s", st, body)
	}
	// The running-text page (signed in by cookie, with its CSRF token).
	cookie := "sppt_officer=" + head
	_, _, page := apptest.Page(t, "GET", in.URL+"/backoffice/running-text", cookie, nil)
	csrf := apptest.Between(page, `name="_csrf" value="`, `"`)
	if csrf == "" {
		t.Fatalf("running-text page without a CSRF token: %.300s", page)
	}
	if st, _, body := apptest.Page(t, "POST", in.URL+"/backoffice/running-text", cookie,
		url.Values{"_csrf": {csrf}, "text": {"Selamat\x00datang"}}); st != 422 {
		t.Errorf("running-text page: %d %.300s", st, body)
	}

	// A signed inbound SMS: answered (200 TwiML) with the NUL stripped.
	form := url.Values{"MessageSid": {"SM" + strings.Repeat("0", 29) + "1"}, "AccountSid": {"ACnul"},
		"From": {"+6281234567001"}, "To": {"+14155550100"}, "Body": {"KUO\x00TA JKS"}}
	path := "/api/v1" + sms.InboundPath
	r := in.Do(t, "POST", path, "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded",
		"X-Twilio-Signature", smstest.Sign(twilioToken, in.URL+path, form))
	if r.Status != 200 || !strings.Contains(string(r.Body), "<Message>") || !strings.Contains(string(r.Body), "online sisa") {
		t.Errorf("signed inbound SMS with a NUL: %d %s", r.Status, r.Body)
	}
	// Unsigned, it is still refused (the signature is checked first).
	form.Set("MessageSid", "SM"+strings.Repeat("0", 29)+"2")
	r = in.Do(t, "POST", path, "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded", "X-Twilio-Signature", "forged")
	if r.Status != 403 {
		t.Errorf("forged inbound SMS with a NUL: %d %s", r.Status, r.Body)
	}
	var stored string
	if err := in.Pool.QueryRow(t.Context(), `SELECT body FROM sms_inbound WHERE message_sid = $1`,
		"SM"+strings.Repeat("0", 29)+"1").Scan(&stored); err != nil || stored != "KUOTA JKS" {
		t.Errorf("stored inbound body: %q %v", stored, err)
	}
}
