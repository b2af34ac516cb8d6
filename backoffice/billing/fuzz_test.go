package billing_test

import (
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/billing"
)

// Whatever the body, ParseCallback never panics, and what it accepts is
// well-formed.
func FuzzParseCallback(f *testing.F) {
	f.Add([]byte(`{"billing_code":"123456789012345","amount":950000,"paid_at":"2026-03-02T10:00:00+07:00","reference":"BNI-1"}`))
	f.Add([]byte(`{"billing_code":"1","amount":9.5e5,"paid_at":null,"x":[]}`))
	f.Add([]byte(`[]`))
	now := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := billing.ParseCallback(body, now)
		if err != nil {
			return
		}
		if len(c.BillingCode) != 15 || c.Amount < 0 || c.Reference == "" || c.PaidAt.IsZero() || c.PaidAt.After(now.Add(5*time.Minute)) {
			t.Fatalf("accepted %q as %+v", body, c)
		}
	})
}

// Whatever the header, VerifySignature never panics, accepts only the
// right signature, and always accepts it.
func FuzzVerifySignature(f *testing.F) {
	now := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	f.Add("t=1772420400,v1=00", []byte(`{}`))
	f.Add(",,==,t=,v1=", []byte(``))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		if err := billing.VerifySignature(secret, header, body, now); err == nil && header != billing.Sign(secret, body, now) {
			// another accepted form must still carry the right MAC for a time in the window
			if billing.VerifySignature([]byte("other"), header, body, now) == nil {
				t.Fatalf("header %q accepted under two keys", header)
			}
		}
		if err := billing.VerifySignature(secret, billing.Sign(secret, body, now), body, now); err != nil {
			t.Fatalf("own signature refused: %v", err)
		}
	})
}
