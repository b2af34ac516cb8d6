package billing

import (
	"fmt"
	"time"

	"github.com/sppt/sppt/internal/httpx"
)

// Replacement reasons. A lost or damaged passport carries its charge; one
// lost or damaged in a disaster (force majeure) carries none, nor does a
// former SPLP holder's.
const (
	ReasonLost         = "lost"
	ReasonDamaged      = "damaged"
	ReasonForceMajeure = "force_majeure"
	ReasonSPLP         = "splp"
)

// TenYearsSince is when 10-year passports began (Permenkumham 18/2022).
var TenYearsSince = time.Date(2022, time.October, 12, 0, 0, 0, 0, time.UTC)

// AdultAge is the age from which a passport is valid 10 years.
const AdultAge = 17

// Request is what the fee depends on.
type Request struct {
	Service    string    // new, renewal, replacement, data_change, priority
	BirthDate  time.Time // the applicant's
	Married    bool      // married applicants get 10 years at any age
	Electronic bool      // an e-passport rather than the ordinary book
	SameDay    bool      // the same-day (percepatan) service
	Reason     string    // replacement only: lost, damaged, force_majeure, splp
	Date       time.Time // the office's calendar day the bill is issued
}

// Line is one item of a bill.
type Line struct {
	Code        string `json:"code"`
	Description string `json:"description"`
	Amount      int64  `json:"amount"`
}

// ValidityYears is how long the passport will be valid: 10 years from age
// 17 or when married, since October 2022; 5 years otherwise.
func ValidityYears(birth, day time.Time, married bool) int {
	if day.Before(TenYearsSince) {
		return 5
	}
	if married || Age(birth, day) >= AdultAge {
		return 10
	}
	return 5
}

// Age is the number of whole years from birth to day (calendar dates).
func Age(birth, day time.Time) int {
	y := day.Year() - birth.Year()
	if day.Month() < birth.Month() || day.Month() == birth.Month() && day.Day() < birth.Day() {
		y--
	}
	return y
}

// Compute is the fee rule: the bill's lines and total for r at prices p
// (the schedule in force on r.Date). It reads nothing and writes nothing.
func Compute(r Request, p Prices) ([]Line, int64, error) {
	if err := r.check(); err != nil {
		return nil, 0, err
	}
	codes := []string{bookFee(r)}
	if r.SameDay {
		codes = append(codes, FeeSameDay)
	}
	switch r.Reason {
	case ReasonLost:
		codes = append(codes, FeeLost)
	case ReasonDamaged:
		codes = append(codes, FeeDamaged)
	case ReasonForceMajeure:
		codes = append(codes, FeeForceMajeure)
	}
	lines := make([]Line, 0, len(codes))
	var total int64
	for _, code := range codes {
		f, ok := p[code]
		if !ok {
			return nil, 0, fmt.Errorf("billing: no fee %q in force on %s", code, r.Date.Format(time.DateOnly))
		}
		lines = append(lines, Line{Code: code, Description: f.Description, Amount: f.Amount})
		total += f.Amount
	}
	return lines, total, nil
}

func bookFee(r Request) string {
	years := ValidityYears(r.BirthDate, r.Date, r.Married)
	switch {
	case r.Electronic && years == 10:
		return FeeElectronic10
	case r.Electronic:
		return FeeElectronic5
	case years == 10:
		return FeeOrdinary10
	}
	return FeeOrdinary5
}

func (r Request) check() error {
	e := httpx.Invalid()
	switch r.Service {
	case "new", "renewal", "data_change", "priority":
		if r.Reason != "" {
			e.Field("replacement_reason", "billing.field.billing_reason_only_replacement")
		}
	case "replacement":
		switch r.Reason {
		case ReasonLost, ReasonDamaged, ReasonForceMajeure, ReasonSPLP:
		default:
			e.Field("replacement_reason", "billing.field.billing_reason")
		}
	default: // pickup and anything else is not billed
		e.Field("service", "billing.field.billing_service")
	}
	if r.BirthDate.IsZero() || r.BirthDate.After(r.Date) {
		e.Field("birth_date", "billing.field.birth_date")
	}
	return e.OrNil()
}
