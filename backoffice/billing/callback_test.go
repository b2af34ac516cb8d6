package billing_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/billing"
)

type errBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func decodeErr(t *testing.T, r resp) errBody {
	t.Helper()
	var e errBody
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("not the contract's error shape: %d %s", r.status, r.body)
	}
	return e
}

func TestCallbackPays(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.issue("JKS-2026-000001")
	paidAt := start.Add(10 * time.Minute)
	e.clock.Set(paidAt.Add(5 * time.Second))
	r := e.post(body(b.BillingCode, 950_000, "BNI-0001", paidAt), "")
	if r.status != 200 {
		t.Fatalf("callback: %d %s", r.status, r.body)
	}
	var a billing.CallbackAnswer
	if err := json.Unmarshal([]byte(r.body), &a); err != nil || a.Status != "paid" || a.BillingCode != b.BillingCode ||
		a.Reference != "BNI-0001" || !a.PaidAt.Equal(paidAt) {
		t.Fatalf("answer %s (%v)", r.body, err)
	}
	s := e.state(b.BillingCode)
	if s.status != "paid" || s.stage != "printing" || s.paid != 1 || s.sms != 1 || s.audits != 1 || s.callbacks != 1 {
		t.Fatalf("after payment: %+v", s)
	}
	if e.stages.paid[0] != "JKS-2026-000001 by bank" {
		t.Errorf("stage call %q", e.stages.paid[0])
	}
	n := e.sms.of(billing.NoticePaid)[0]
	if n.Key != "bill_paid:"+b.BillingCode || n.Params["appno"] != "JKS-2026-000001" || n.Params["amount"] != "Rp950.000" {
		t.Errorf("paid notice %+v", n)
	}
	got, err := e.svc.ByApplication(t.Context(), "JKS-2026-000001")
	if err != nil || got.Status != "paid" || got.PaidVia != "bank" || got.PaidAt == nil || !got.PaidAt.Equal(paidAt) {
		t.Errorf("bill after payment %+v (%v)", got, err)
	}
}

// A forged, unsigned, stale or tampered callback is 401 and changes nothing.
func TestCallbackSignatureRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.issue("JKS-2026-000001")
	before := e.state(b.BillingCode)
	p := body(b.BillingCode, 950_000, "BNI-0001", start)
	now := e.clock.Now()
	sig := billing.Sign(secret, []byte(p), now)
	for name, c := range map[string]struct{ payload, sig string }{
		"missing header":      {p, "-"},
		"empty header":        {p, " "},
		"forged key":          {p, billing.Sign([]byte("not-the-secret"), []byte(p), now)},
		"stale, 5 min 1 s":    {p, billing.Sign(secret, []byte(p), now.Add(-5*time.Minute-time.Second))},
		"future, 5 min 1 s":   {p, billing.Sign(secret, []byte(p), now.Add(5*time.Minute+time.Second))},
		"body changed":        {strings.Replace(p, "950000", "950001", 1), sig},
		"timestamp changed":   {p, strings.Replace(sig, "t=", "t=1", 1)},
		"no v1":               {p, strings.Split(sig, ",")[0]},
		"v1 truncated":        {p, sig[:len(sig)-2]},
		"garbage":             {p, "v1=zz,t=abc"},
		"signed another body": {p, billing.Sign(secret, []byte(body(b.BillingCode, 950_000, "BNI-0002", start)), now)},
	} {
		r := e.post(c.payload, c.sig)
		if r.status != 401 || decodeErr(t, r).Error.Code != "bank_signature_invalid" {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	if after := e.state(b.BillingCode); after != before {
		t.Errorf("refused callbacks changed state: %+v → %+v", before, after)
	}
	// Within the window either way is accepted; an unset secret accepts nothing.
	if r := e.post(p, billing.Sign(secret, []byte(p), now.Add(-4*time.Minute))); r.status != 200 {
		t.Errorf("4 minutes old: %d %s", r.status, r.body)
	}
	e.svc.Secret = nil
	if r := e.post(p, ""); r.status != 401 {
		t.Errorf("without a configured secret: %d", r.status)
	}
}

// The same reference again gets the first answer and changes nothing,
// even when the resend says something else.
func TestCallbackReplay(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.issue("JKS-2026-000001")
	p := body(b.BillingCode, 950_000, "BNI-0001", start)
	first := e.post(p, "")
	if first.status != 200 {
		t.Fatalf("first: %d %s", first.status, first.body)
	}
	after := e.state(b.BillingCode)
	e.clock.Advance(time.Hour) // freshly signed an hour later
	for _, again := range []string{p, body(b.BillingCode, 1, "BNI-0001", start.Add(time.Minute))} {
		r := e.post(again, "")
		if r != first {
			t.Errorf("replay answered %d %s, first was %d %s", r.status, r.body, first.status, first.body)
		}
	}
	if s := e.state(b.BillingCode); s != after {
		t.Errorf("replays changed state: %+v → %+v", after, s)
	}
	// A second, different reference for a paid bill is refused (a double payment to refund).
	r := e.post(body(b.BillingCode, 950_000, "BNI-0002", start), "")
	if r.status != 409 || decodeErr(t, r).Error.Code != "bill_already_paid" {
		t.Errorf("second reference: %d %s", r.status, r.body)
	}
	if s := e.state(b.BillingCode); s.paid != 1 || s.sms != 1 || s.audits != 1 {
		t.Errorf("second reference changed state: %+v", s)
	}
}

func TestCallbackAmountMismatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.issue("JKS-2026-000001")
	r := e.post(body(b.BillingCode, 650_000, "BNI-0001", start), "")
	eb := decodeErr(t, r)
	if r.status != 422 || eb.Error.Code != "amount_mismatch" || eb.Error.Fields["amount"] == "" {
		t.Fatalf("wrong amount: %d %s", r.status, r.body)
	}
	if s := e.state(b.BillingCode); s.status != "unpaid" || s.stage != "billing" || s.paid != 0 || s.sms != 0 || s.audits != 0 {
		t.Errorf("wrong amount changed state: %+v", s)
	}
	// Its reference keeps that answer; a new reference with the right amount pays.
	if again := e.post(body(b.BillingCode, 950_000, "BNI-0001", start), ""); again != r {
		t.Errorf("replayed mismatch: %d %s", again.status, again.body)
	}
	if ok := e.post(body(b.BillingCode, 950_000, "BNI-0002", start), ""); ok.status != 200 {
		t.Errorf("right amount, new reference: %d %s", ok.status, ok.body)
	}
	// English on request.
	r = e.post(body(b.BillingCode, 1, "BNI-0003", start), "", "Accept-Language", "en")
	if m := decodeErr(t, r).Error.Message; !strings.Contains(m, "bill") {
		t.Errorf("English message %q", m)
	}
}

func TestCallbackUnknownAndClosedBills(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	code, _ := billing.NewCode()
	for _, c := range []string{code, "123456789012345", "000000000000000"} {
		r := e.post(body(c, 950_000, "BNI-"+c, start), "")
		if r.status != 404 || decodeErr(t, r).Error.Code != "bill_not_found" {
			t.Errorf("unknown code %s: %d %s", c, r.status, r.body)
		}
	}
	b := e.issue("JKS-2026-000001")
	e.clock.Advance(2*time.Hour + time.Second)
	if err := e.svc.ExpireDue(t.Context(), e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	r := e.post(body(b.BillingCode, 950_000, "BNI-late", start.Add(time.Hour)), "")
	if r.status != 409 || decodeErr(t, r).Error.Code != "bill_expired" {
		t.Errorf("expired bill: %d %s", r.status, r.body)
	}
	if s := e.state(b.BillingCode); s.status != "expired" || s.paid != 0 {
		t.Errorf("after a late payment: %+v", s)
	}
}

// Every field is checked; each problem is named, in the contract's shape.
func TestCallbackMalformed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.issue("JKS-2026-000001")
	ok := map[string]any{"billing_code": b.BillingCode, "amount": 950000, "paid_at": start.Format(time.RFC3339), "reference": "BNI-1"}
	with := func(k string, v any) string {
		m := map[string]any{}
		for kk, vv := range ok {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		out, _ := json.Marshal(m)
		return string(out)
	}
	for _, bad := range []string{"", "{", "[]", "null", `"x"`, `{"billing_code":"1"} trailing`} {
		r := e.post(bad, "")
		if r.status != 400 || decodeErr(t, r).Error.Code != "invalid_json" {
			t.Errorf("%q: %d %s", bad, r.status, r.body)
		}
	}
	for name, c := range map[string]struct {
		payload string
		field   string
	}{
		"code missing":         {with("billing_code", nil), "billing_code"},
		"code short":           {with("billing_code", "12345678901234"), "billing_code"},
		"code letters":         {with("billing_code", "12345678901234x"), "billing_code"},
		"code a number":        {with("billing_code", 123456789012345), "billing_code"},
		"amount missing":       {with("amount", nil), "amount"},
		"amount a string":      {with("amount", "950000"), "amount"},
		"amount decimal":       {with("amount", 950000.5), "amount"},
		"amount exponent":      {`{"billing_code":"` + b.BillingCode + `","amount":9.5e5,"paid_at":"2026-03-02T10:00:00+07:00","reference":"R"}`, "amount"},
		"amount negative":      {with("amount", -1), "amount"},
		"paid_at missing":      {with("paid_at", nil), "paid_at"},
		"paid_at not RFC 3339": {with("paid_at", "2026-03-02 10:00"), "paid_at"},
		"paid_at future":       {with("paid_at", start.Add(time.Hour).Format(time.RFC3339)), "paid_at"},
		"reference missing":    {with("reference", nil), "reference"},
		"reference empty":      {with("reference", ""), "reference"},
		"reference too long":   {with("reference", strings.Repeat("R", 65)), "reference"},
		"reference spaces":     {with("reference", "BNI 1"), "reference"},
		"unknown field":        {with("channel", "atm"), "channel"},
	} {
		r := e.post(c.payload, "")
		eb := decodeErr(t, r)
		if r.status != 422 || eb.Error.Code != "validation_failed" || eb.Error.Fields[c.field] == "" {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	// Several problems at once are all named.
	r := e.post(`{"billing_code":"1","amount":"x","paid_at":1}`, "")
	if f := decodeErr(t, r).Error.Fields; len(f) != 4 {
		t.Errorf("fields named: %v", f)
	}
	if s := e.state(b.BillingCode); s.status != "unpaid" || s.callbacks != 0 {
		t.Errorf("malformed callbacks changed state: %+v", s)
	}
	big := with("reference", "R") + strings.Repeat(" ", billing.MaxCallbackBody)
	if r := e.post(big, ""); r.status != 413 {
		t.Errorf("oversized body: %d %s", r.status, r.body)
	}
}

// Concurrent resends of one reference apply once; concurrent different
// references for one bill: one pays, the others are refused.
func TestCallbackConcurrent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.issue("JKS-2026-000001")
	e.stages.delay = 100 * time.Millisecond
	const n = 8
	answers := make([]resp, n)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			answers[i] = e.post(body(b.BillingCode, 950_000, "BNI-0001", start), "")
		}()
	}
	close(gate)
	wg.Wait()
	for _, a := range answers {
		if a != answers[0] || a.status != 200 {
			t.Fatalf("answers differ: %+v vs %+v", a, answers[0])
		}
	}
	if s := e.state(b.BillingCode); s.status != "paid" || s.paid != 1 || s.sms != 1 || s.audits != 1 || s.callbacks != 1 {
		t.Errorf("after %d concurrent resends: %+v", n, s)
	}

	b2 := e.issue("JKS-2026-000002")
	statuses := make([]int, n)
	gate = make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			statuses[i] = e.post(body(b2.BillingCode, 950_000, "BRI-"+string(rune('A'+i)), start), "").status
		}()
	}
	close(gate)
	wg.Wait()
	okCount := 0
	for _, st := range statuses {
		switch st {
		case 200:
			okCount++
		case 409:
		default:
			t.Errorf("status %d", st)
		}
	}
	if p, _ := e.stages.counts(); okCount != 1 || p != 2 {
		t.Errorf("%d paid answers, %d stage calls; want 1 and 2 in all", okCount, p)
	}
}
