package intake

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/idn"
)

// ErrNoRecord is an application the desk has not taken in.
var ErrNoRecord = errors.New("intake: application not taken in at the desk")

// MaxNotes bounds the interview notes.
const MaxNotes = 4000

// Record is the desk's record of one application.
type Record struct {
	ApplicationNo string          `json:"application_no"`
	Office        string          `json:"office"`
	Checklist     map[string]bool `json:"checklist"`
	Reason        string          `json:"replacement_reason,omitempty"`
	Married       bool            `json:"married"`
	Electronic    bool            `json:"electronic"`
	Corrected     []string        `json:"corrected"`
	Notes         string          `json:"notes"`
	Walkin        bool            `json:"walkin"`
	TakenInAt     time.Time       `json:"taken_in_at"`
	Outcome       string          `json:"outcome,omitempty"` // biometric or on_hold, once handed over
	Finding       string          `json:"finding,omitempty"` // the hold's reason
	HandedOverAt  *time.Time      `json:"handed_over_at,omitempty"`
	ReadyOn       string          `json:"ready_on,omitempty"` // YYYY-MM-DD, the receipt's date
}

const recordColumns = `application_no, office, checklist, coalesce(replacement_reason, ''), married, electronic, corrected,
	notes, walkin, taken_in_at, coalesce(outcome, ''), finding, handed_over_at, ready_on`

func scanRecord(row pgx.Row) (Record, error) {
	var r Record
	var list []byte
	var ready *time.Time
	err := row.Scan(&r.ApplicationNo, &r.Office, &list, &r.Reason, &r.Married, &r.Electronic, &r.Corrected, &r.Notes,
		&r.Walkin, &r.TakenInAt, &r.Outcome, &r.Finding, &r.HandedOverAt, &ready)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, ErrNoRecord
	}
	if err != nil {
		return r, err
	}
	if ready != nil {
		r.ReadyOn = civil.Date(*ready)
	}
	return r, json.Unmarshal(list, &r.Checklist)
}

// Get is the desk's record of no in office (ErrNoRecord when not taken in).
func (s *Service) Get(ctx context.Context, office, no string) (Record, error) {
	return scanRecord(s.Pool.QueryRow(ctx, `SELECT `+recordColumns+` FROM intake_records
		WHERE application_no = $1 AND office = $2`, no, office))
}

// Update is what the officer fills in at the desk.
type Update struct {
	Checklist  map[string]bool `json:"checklist"`
	Reason     string          `json:"replacement_reason,omitempty"`
	Married    bool            `json:"married"`
	Electronic bool            `json:"electronic"`
	Notes      string          `json:"notes"`
	// Enrolment, when given, is the applicant's data as the documents show
	// it; the application is corrected where it differs.
	Enrolment *EnrolmentInput `json:"enrolment,omitempty"`
}

// EnrolmentInput is the enrolment data as typed (validated by check).
type EnrolmentInput struct {
	NIK       string `json:"nik"`
	FullName  string `json:"full_name"`
	BirthDate string `json:"birth_date"`
	Sex       string `json:"sex"`
	Phone     string `json:"phone"`
}

// Enrolment validates the input: a NIK that agrees with the birth date and
// sex, a name as documents write names, an Indonesian mobile number or none.
func (e EnrolmentInput) Enrolment(bad *httpx.Error) application.Enrolment {
	var out application.Enrolment
	birth, err := civil.ParseDate(strings.TrimSpace(e.BirthDate))
	if err != nil {
		bad.Field("birth_date", "intake.field.birth_date")
	}
	out.BirthDate, out.Sex = birth, strings.ToUpper(strings.TrimSpace(e.Sex))
	if n, err := idn.ParseNIK(e.NIK, birth, out.Sex); err != nil && !bad.HasFields() {
		fieldError(bad, err)
	} else {
		out.NIK = n.Number
	}
	if name, err := idn.ValidateName(e.FullName); err != nil {
		fieldError(bad, err)
	} else {
		out.FullName = name
	}
	if strings.TrimSpace(e.Phone) != "" {
		if p, err := idn.NormalizeMobile(e.Phone); err != nil {
			fieldError(bad, err)
		} else {
			out.Phone = p
		}
	}
	return out
}

func fieldError(bad *httpx.Error, err error) {
	var fe idn.FieldError
	if errors.As(err, &fe) {
		bad.Field(fe.Field, "portal."+fe.Key)
		return
	}
	bad.Field("form", "field.invalid")
}

// check validates u for an application of service.
func (u *Update) check(service string) (*application.Enrolment, error) {
	bad := httpx.Invalid()
	u.Reason = strings.TrimSpace(u.Reason)
	switch {
	case service == civil.ServiceReplacement && !slices.Contains(Reasons, u.Reason):
		bad.Field("replacement_reason", "intake.field.replacement_reason")
	case service != civil.ServiceReplacement && u.Reason != "":
		bad.Field("replacement_reason", "intake.field.reason_only_replacement")
	}
	for doc := range u.Checklist {
		if !slices.Contains(Checklist(service, u.Reason), doc) {
			bad.Field("checklist", "intake.field.checklist", "doc", doc)
			break
		}
	}
	u.Notes = strings.TrimSpace(u.Notes)
	if utf8.RuneCountInString(u.Notes) > MaxNotes {
		bad.Field("notes", "intake.field.notes")
	}
	var e *application.Enrolment
	if u.Enrolment != nil {
		v := u.Enrolment.Enrolment(bad)
		e = &v
	}
	return e, bad.OrNil()
}

// Save stores the desk's answers and corrections of an application at the
// desk, in one transaction with their audit entry (which names the
// corrected fields and the ticked documents, never personal data).
func (s *Service) Save(ctx context.Context, actor application.Actor, no string, u Update) (Record, error) {
	rec, err := s.Get(ctx, actor.Office, no)
	if err != nil {
		return rec, err
	}
	a, err := s.Apps.InOffice(ctx, actor.Office, no)
	if err != nil {
		return rec, err
	}
	e, err := u.check(a.Service)
	if err != nil {
		return rec, err
	}
	if a.Stage != civil.StageDesk {
		return rec, &application.TransitionError{From: a.Stage, To: civil.StageDesk}
	}
	now := s.Clock.Now()
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		corrected := rec.Corrected
		if e != nil {
			changed, err := application.Correct(ctx, tx, no, *e, actor, now)
			if err != nil {
				return err
			}
			for _, f := range changed {
				if !slices.Contains(corrected, f) {
					corrected = append(corrected, f)
				}
			}
		}
		list, _ := json.Marshal(nonNil(u.Checklist))
		if _, err := tx.Exec(ctx, `UPDATE intake_records SET checklist = $2, replacement_reason = NULLIF($3, ''), married = $4,
			electronic = $5, notes = $6, corrected = $7, updated_at = $8 WHERE application_no = $1`,
			no, list, u.Reason, u.Married, u.Electronic, u.Notes, nonNilStrings(corrected), now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: a.Office, At: now, Actor: actor.String(), Action: "intake.update",
			Subject: "application:" + no, Data: map[string]any{"checklist": nonNil(u.Checklist), "replacement_reason": u.Reason,
				"corrected": nonNilStrings(corrected), "notes_len": utf8.RuneCountInString(u.Notes)}})
	})
	if err != nil {
		return rec, err
	}
	return s.Get(ctx, actor.Office, no)
}

func nonNil(m map[string]bool) map[string]bool {
	if m == nil {
		return map[string]bool{}
	}
	return m
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// BillingFacts is what billing's fee rule needs from the desk, read inside
// the transaction that moves the application to billing: the replacement
// reason, marriage (10-year validity) and the e-passport choice. No record
// (an application moved past the desk without it) is the zero facts.
func BillingFacts(ctx context.Context, tx pgx.Tx, no string) (reason string, married, electronic bool, err error) {
	err = tx.QueryRow(ctx, `SELECT coalesce(replacement_reason, ''), married, electronic FROM intake_records
		WHERE application_no = $1`, no).Scan(&reason, &married, &electronic)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, false, nil
	}
	return reason, married, electronic, err
}
