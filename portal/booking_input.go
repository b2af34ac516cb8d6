package portal

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/idn"
	"github.com/sppt/sppt/quota"
)

// Services are CONTRACT.md's service codes, in the order the form offers them.
var Services = []string{civil.ServiceNew, civil.ServiceRenewal, civil.ServiceReplacement, civil.ServiceDataChange,
	civil.ServicePriority, civil.ServicePickup}

// bookingBody is POST /bookings and POST /waitlist.
type bookingBody struct {
	Office    string `json:"office"`
	Date      string `json:"date"`
	Service   string `json:"service"`
	NIK       string `json:"nik"`
	FullName  string `json:"full_name"`
	BirthDate string `json:"birth_date"`
	Sex       string `json:"sex"` // M or F
}

// bookingRequest validates every field of b and reports all wrong fields at
// once, each under its own name, before anything is written.
func (s *Service) bookingRequest(ctx context.Context, b bookingBody, phone, ip string) (quota.BookingRequest, error) {
	bad := httpx.Invalid()
	req := quota.BookingRequest{Office: strings.ToUpper(strings.TrimSpace(b.Office)), Service: strings.TrimSpace(b.Service),
		Sex: strings.ToUpper(strings.TrimSpace(b.Sex)), Phone: phone, IP: ip}
	if req.Office == "" {
		bad.Field("office", "portal.office.required")
	} else if _, err := s.officeZone(ctx, req.Office); err != nil {
		if _, ok := httpx.As(err); !ok {
			return req, err
		}
		bad.Field("office", "portal.office.unknown")
	}
	var err error
	if req.Date, err = parseDate(b.Date); err != nil {
		bad.Field("date", dateKey(b.Date))
	}
	if !slices.Contains(Services, req.Service) {
		bad.Field("service", "portal.service.invalid")
	}
	if req.FullName, err = idn.ValidateName(b.FullName); err != nil {
		addFieldError(bad, err)
	}
	birth, birthErr := parseBirthDate(b.BirthDate)
	switch {
	case birthErr != nil && strings.TrimSpace(b.BirthDate) == "":
		bad.Field("birth_date", "portal.birth_date.required")
	case birthErr != nil:
		bad.Field("birth_date", "portal.birth_date.format")
	case birth.After(s.Clock.Now()):
		bad.Field("birth_date", "portal.birth_date.future")
	}
	if req.Sex != "M" && req.Sex != "F" {
		bad.Field("sex", "portal.sex.invalid")
	}
	nik, err := parseNIK(b.NIK, birth, req.Sex, birthErr == nil)
	if err != nil {
		addFieldError(bad, err)
	}
	req.NIK, req.BirthDate = nik.Number, birth
	return req, bad.OrNil()
}

// parseNIK checks the NIK's agreement with the form only when the form's
// birth date and sex are usable; otherwise just its structure.
func parseNIK(s string, birth time.Time, sex string, birthOK bool) (idn.NIK, error) {
	if strings.TrimSpace(s) == "" {
		return idn.NIK{}, idn.FieldError{Field: "nik", Key: "nik.required"}
	}
	if !birthOK || (sex != "M" && sex != "F") {
		return idn.ParseNIKStructure(s)
	}
	return idn.ParseNIK(s, birth, sex)
}

// parseDate reads YYYY-MM-DD as a calendar day (midnight UTC, as quota wants).
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("empty date")
	}
	return time.Parse(dateLayout, s)
}

func dateKey(s string) string {
	if strings.TrimSpace(s) == "" {
		return "portal.date.required"
	}
	return "portal.field.date_format"
}

// invalidDate is the 422 for an unreadable date field.
func invalidDate(raw string) error { return httpx.Invalid().Field("date", dateKey(raw)) }
