package billing_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/i18n"
	"github.com/sppt/sppt/sms"
)

// Billing's notices, worded by sms as they will be sent, fit one GSM-7
// segment with the longest office name and the widest values.
func TestNoticesFitOneSegment(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load(frontend.FS)
	if err != nil {
		t.Fatal(err)
	}
	s := &sms.Service{Catalog: cat}
	wide := map[string]string{"code": "999999999999999", "amount": billing.Rupiah(999_999_999),
		"expires": time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC).Format(time.RFC3339), "appno": strings.Repeat("W", 32),
		"office_name": "Kantor Imigrasi Kelas I Khusus TPI Tanjung Balai Karimun Selatan Raya"}
	for _, lang := range i18n.Languages {
		for _, kind := range []string{billing.NoticeIssued, billing.NoticePaid, billing.NoticeExpired} {
			text, ok := s.NoticeText(lang, sms.Notice{Kind: kind, Office: "JKS", Params: wide}, sms.Office{})
			switch n, enc := sms.Segments(text); {
			case !ok:
				t.Errorf("%s/%s: no template", lang, kind)
			case strings.ContainsAny(text, "{}"):
				t.Errorf("%s/%s: unfilled placeholder in %q", lang, kind, text)
			case n != 1 || enc != sms.GSM7:
				t.Errorf("%s/%s: %d %s segments (%d chars): %q", lang, kind, n, enc, utf8.RuneCountInString(text), text)
			}
		}
	}
}

// Every error code and field message billing uses has words in both languages.
func TestMessagesExist(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load(frontend.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"err.bank_signature_invalid", "err.bill_not_found", "err.bill_already_paid", "err.bill_expired",
		"err.bill_cancelled", "err.amount_mismatch", "billing.field.unknown", "billing.field.string", "billing.field.billing_code",
		"billing.field.billing_code_check", "billing.field.amount", "billing.field.amount_mismatch", "billing.field.paid_at",
		"billing.field.paid_at_future", "billing.field.reference", "billing.field.receipt_no", "billing.field.billing_service",
		"billing.field.billing_reason", "billing.field.billing_reason_only_replacement", "billing.field.birth_date"} {
		if !cat.Has(k) {
			t.Errorf("%s missing", k)
		}
	}
}

func TestCallbackDocumented(t *testing.T) {
	t.Parallel()
	doc := httpx.NewDoc("test")
	(&billing.Service{}).Routes(httpx.API{R: newApp(), Prefix: "/api/v1", Doc: doc})
	if !doc.Has("POST", "/api/v1/payments/callback") {
		t.Error("the bank callback is not in the OpenAPI document")
	}
}
