package quota_test

import (
	"strings"
	"testing"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/i18n"
	"github.com/sppt/sppt/quota"
	"github.com/sppt/sppt/sms"
)

// Every notice fits one GSM-7 segment in both languages, with the longest
// values its parameters take.
func TestNoticeTextsFitOneSegment(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load(frontend.FS)
	if err != nil {
		t.Fatal(err)
	}
	params := []any{"code", "ABCDEFGH", "date", "2026-12-31", "office", "JKS", "office_name", "", "service", "data_change",
		"expires", "31-12-2026 16:00 WITA", "position", "2000", "from", "2026-12-30"}
	kinds := []string{quota.NoticeBooked, quota.NoticeCancelled, quota.NoticeRescheduled, quota.NoticeDrawEntered,
		quota.NoticeDrawWon, quota.NoticeDrawLost, quota.NoticeWaitlistOffer, quota.NoticeOfferExpired, "otp"}
	for _, lang := range []string{"id", "en"} {
		for _, k := range kinds {
			key := "quota.sms." + k
			if !cat.Has(key) {
				t.Errorf("no text for %s", key)
				continue
			}
			text := cat.T(lang, key, params...)
			if strings.Contains(text, "{") {
				t.Errorf("%s %s: unfilled placeholder: %s", lang, k, text)
			}
			if n, enc := sms.Segments(text); n != 1 || enc != sms.GSM7 {
				t.Errorf("%s %s: %d segments (%s), %d chars: %s", lang, k, n, enc, len(text), text)
			}
		}
	}
}
