package exception

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sppt/sppt/backoffice/application"
)

// Field is one of a case kind's own BAP fields.
type Field struct {
	Name     string
	Type     string   // "text", "date", "choice", "months"
	Choices  []string // choice: the values (locale exception.choice.<value>)
	Required bool
}

var yesNo = []string{"yes", "no"}

// kindFields are the BAP's fields per case kind, beyond the statement, the
// findings and the examiner's signature every BAP has.
var kindFields = map[string][]Field{
	application.HoldWatchlist: {
		{Name: "watchlist_entry", Type: "text", Required: true},
		{Name: "identity_confirmed", Type: "choice", Choices: yesNo, Required: true},
		{Name: "authority_contact", Type: "text"},
	},
	application.HoldDuplicate: {
		{Name: "matched_identity", Type: "text", Required: true},
		{Name: "same_person", Type: "choice", Choices: yesNo, Required: true},
	},
	application.HoldVerificationFailed: {
		{Name: "retake_result", Type: "choice", Choices: []string{"match", "no_match"}, Required: true},
		{Name: "documents_checked", Type: "text"},
	},
	// DOMAIN.md: a lost passport goes through a BAP; where negligence is
	// found, a new passport may be withheld 6 months to 2 years.
	application.HoldLostPassport: {
		{Name: "police_report_no", Type: "text", Required: true},
		{Name: "loss_date", Type: "date", Required: true},
		{Name: "loss_place", Type: "text", Required: true},
		{Name: "negligent", Type: "choice", Choices: yesNo, Required: true},
		{Name: "withhold_months", Type: "months"},
	},
	application.HoldExistingPassport: {
		{Name: "passport_no", Type: "text", Required: true},
		{Name: "passport_status", Type: "choice", Choices: []string{"held", "lost", "damaged", "surrendered"}, Required: true},
	},
	application.HoldEscalated: nil,
}

// FieldsOf is the case kind's own fields, in form order.
func FieldsOf(kind string) []Field { return kindFields[kind] }

// Withholding bounds (DOMAIN.md), in months.
const (
	MinWithhold = 6
	MaxWithhold = 24
)

// Bounds of the free texts.
const (
	MaxText      = 4000
	MaxFieldText = 200
	MaxName      = 120
)

// BAP is what the examining officer writes.
type BAP struct {
	Statement    string            `json:"statement"` // the applicant's statement
	Findings     string            `json:"findings"`  // the examining officer's findings
	ExaminerName string            `json:"examiner_name"`
	Fields       map[string]string `json:"fields"`
}

// validate trims b and returns field → problem ("required", "too_long",
// "invalid", "choice", "future", "withhold_range", "withhold_not_negligent").
// Unknown fields are dropped. today is the office's date.
func (b *BAP) validate(kind string, today time.Time) map[string]string {
	bad := map[string]string{}
	b.Statement, b.Findings = strings.TrimSpace(b.Statement), strings.TrimSpace(b.Findings)
	b.ExaminerName = strings.Join(strings.Fields(b.ExaminerName), " ")
	text := func(name, v string, max int) {
		switch {
		case v == "":
			bad[name] = "required"
		case utf8.RuneCountInString(v) > max:
			bad[name] = "too_long"
		}
	}
	text("statement", b.Statement, MaxText)
	text("findings", b.Findings, MaxText)
	text("examiner_name", b.ExaminerName, MaxName)
	in, out := b.Fields, map[string]string{}
	for _, f := range FieldsOf(kind) {
		v := strings.TrimSpace(in[f.Name])
		if v == "" {
			if f.Required {
				bad[f.Name] = "required"
			}
			continue
		}
		if p := checkField(f, v, today); p != "" {
			bad[f.Name] = p
			continue
		}
		out[f.Name] = v
	}
	b.Fields = out
	if kind == application.HoldLostPassport {
		lostRules(out, bad)
	}
	return bad
}

func checkField(f Field, v string, today time.Time) string {
	switch f.Type {
	case "text":
		if utf8.RuneCountInString(v) > MaxFieldText {
			return "too_long"
		}
	case "date":
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return "invalid"
		}
		if d.After(today) {
			return "future"
		}
	case "choice":
		for _, c := range f.Choices {
			if v == c {
				return ""
			}
		}
		return "choice"
	case "months":
		if _, err := strconv.Atoi(v); err != nil {
			return "invalid"
		}
	}
	return ""
}

// lostRules: a withholding period is given exactly when negligence is found,
// and lies within 6 months–2 years.
func lostRules(f map[string]string, bad map[string]string) {
	if _, ok := bad["withhold_months"]; ok {
		return
	}
	m, has := f["withhold_months"]
	switch {
	case f["negligent"] == "yes" && !has:
		bad["withhold_months"] = "required"
	case f["negligent"] == "no" && has:
		bad["withhold_months"] = "withhold_not_negligent"
	case has:
		if n, _ := strconv.Atoi(m); n < MinWithhold || n > MaxWithhold {
			bad["withhold_months"] = "withhold_range"
		}
	}
}

// Withheld is the withholding period in months a lost-passport BAP found
// (0: none): such a case can only be rejected.
func Withheld(kind string, fields map[string]string) int {
	if kind != application.HoldLostPassport || fields["negligent"] != "yes" {
		return 0
	}
	n, _ := strconv.Atoi(fields["withhold_months"])
	return n
}
