package exception

import (
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/application"
)

// Each case kind's fields as the BAP validates them: required ones, the
// choices, dates not in the future, and the lost passport's withholding
// (6–24 months, exactly when negligent).
func TestBAPFieldsPerKind(t *testing.T) {
	today := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	base := func(fields map[string]string) BAP {
		return BAP{Statement: " Keterangan ", Findings: "Temuan", ExaminerName: "  Dewi   Lestari ", Fields: fields}
	}
	lost := func(extra map[string]string) map[string]string {
		f := map[string]string{"police_report_no": "LP/1", "loss_date": "2026-02-20", "loss_place": "Manggarai", "negligent": "no"}
		for k, v := range extra {
			f[k] = v
		}
		return f
	}
	for _, tc := range []struct {
		name, kind string
		fields     map[string]string
		want       map[string]string
	}{
		{"watchlist complete", application.HoldWatchlist, map[string]string{"watchlist_entry": "#1", "identity_confirmed": "no"}, nil},
		{"watchlist missing", application.HoldWatchlist, nil, map[string]string{"watchlist_entry": "required", "identity_confirmed": "required"}},
		{"duplicate bad choice", application.HoldDuplicate, map[string]string{"matched_identity": "x", "same_person": "maybe"}, map[string]string{"same_person": "choice"}},
		{"lost not negligent", application.HoldLostPassport, lost(nil), nil},
		{"lost future", application.HoldLostPassport, lost(map[string]string{"loss_date": "2026-03-03"}), map[string]string{"loss_date": "future"}},
		{"lost bad date", application.HoldLostPassport, lost(map[string]string{"loss_date": "20-02-2026"}), map[string]string{"loss_date": "invalid"}},
		{"negligent without period", application.HoldLostPassport, lost(map[string]string{"negligent": "yes"}), map[string]string{"withhold_months": "required"}},
		{"negligent 5 months", application.HoldLostPassport, lost(map[string]string{"negligent": "yes", "withhold_months": "5"}), map[string]string{"withhold_months": "withhold_range"}},
		{"negligent 25 months", application.HoldLostPassport, lost(map[string]string{"negligent": "yes", "withhold_months": "25"}), map[string]string{"withhold_months": "withhold_range"}},
		{"negligent 24 months", application.HoldLostPassport, lost(map[string]string{"negligent": "yes", "withhold_months": "24"}), nil},
		{"period without negligence", application.HoldLostPassport, lost(map[string]string{"withhold_months": "6"}), map[string]string{"withhold_months": "withhold_not_negligent"}},
		{"escalated", application.HoldEscalated, map[string]string{"ignored": "x"}, nil},
	} {
		b := base(tc.fields)
		got := b.validate(tc.kind, today)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			continue
		}
		for f, p := range tc.want {
			if got[f] != p {
				t.Errorf("%s: %s is %q, want %q", tc.name, f, got[f], p)
			}
		}
		if len(got) == 0 && (b.Statement != "Keterangan" || b.ExaminerName != "Dewi Lestari" || b.Fields["ignored"] != "") {
			t.Errorf("%s: not normalised: %+v", tc.name, b)
		}
	}
	empty := BAP{}
	if got := empty.validate(application.HoldEscalated, today); got["statement"] != "required" || got["findings"] != "required" || got["examiner_name"] != "required" {
		t.Errorf("empty BAP: %v", got)
	}
	if Withheld(application.HoldLostPassport, map[string]string{"negligent": "yes", "withhold_months": "12"}) != 12 ||
		Withheld(application.HoldDuplicate, map[string]string{"negligent": "yes", "withhold_months": "12"}) != 0 {
		t.Error("Withheld")
	}
}
