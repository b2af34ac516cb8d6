package intake

import (
	"context"
	"time"

	"github.com/sppt/sppt/internal/civil"
)

// Applicant is the application as the desk shows it.
type Applicant struct {
	ApplicationNo string      `json:"application_no"`
	Office        string      `json:"office"`
	Service       string      `json:"service"`
	Stage         civil.Stage `json:"stage"`
	NIK           string      `json:"nik"`
	FullName      string      `json:"full_name"`
	BirthDate     string      `json:"birth_date"`
	Sex           string      `json:"sex"`
	Phone         string      `json:"phone"`
	Booked        bool        `json:"booked"` // false for a walk-in
}

// Item is one document of the checklist.
type Item struct {
	Doc    string `json:"doc"`
	Ticked bool   `json:"ticked"`
}

// Desk is everything the desk screen shows of one applicant.
type Desk struct {
	Applicant Applicant `json:"applicant"`
	Record    Record    `json:"record"`
	Checklist []Item    `json:"checklist"`
	Scans     []Scan    `json:"scans"`
}

// Desk reads one applicant's desk view, within office.
func (s *Service) Desk(ctx context.Context, office, no string) (Desk, error) {
	a, err := s.Apps.InOffice(ctx, office, no)
	if err != nil {
		return Desk{}, err
	}
	rec, err := s.Get(ctx, office, no)
	if err != nil {
		return Desk{}, err
	}
	d := Desk{Record: rec, Applicant: Applicant{ApplicationNo: a.No, Office: a.Office, Service: a.Service, Stage: a.Stage,
		NIK: a.NIK, FullName: a.FullName, BirthDate: civil.Date(a.BirthDate), Sex: a.Sex, Phone: a.Phone, Booked: a.BookingID != 0}}
	for _, doc := range Checklist(a.Service, rec.Reason) {
		d.Checklist = append(d.Checklist, Item{Doc: doc, Ticked: rec.Checklist[doc]})
	}
	if d.Scans, err = s.Scans(ctx, office, no); err != nil {
		return d, err
	}
	if d.Scans == nil {
		d.Scans = []Scan{}
	}
	return d, nil
}

// Receipt is the tanda terima the applicant takes home.
type Receipt struct {
	ApplicationNo string      `json:"application_no"`
	Office        string      `json:"office"`
	Service       string      `json:"service"`
	FullName      string      `json:"full_name"`
	Stage         civil.Stage `json:"stage"`
	Documents     []string    `json:"documents"`
	TakenInAt     time.Time   `json:"taken_in_at"`
	ReadyOn       string      `json:"ready_on,omitempty"` // YYYY-MM-DD; empty while on hold
	OnHold        bool        `json:"on_hold"`
}

// Receipt is the receipt of an application handed over by the desk.
func (s *Service) Receipt(ctx context.Context, office, no string) (Receipt, error) {
	d, err := s.Desk(ctx, office, no)
	if err != nil {
		return Receipt{}, err
	}
	if d.Record.HandedOverAt == nil {
		return Receipt{}, ErrNotHandedOver
	}
	r := Receipt{ApplicationNo: no, Office: office, Service: d.Applicant.Service, FullName: d.Applicant.FullName,
		Stage: d.Applicant.Stage, TakenInAt: d.Record.TakenInAt, ReadyOn: d.Record.ReadyOn, OnHold: d.Record.Outcome == string(civil.StageOnHold),
		Documents: []string{}}
	for _, it := range d.Checklist {
		if it.Ticked {
			r.Documents = append(r.Documents, it.Doc)
		}
	}
	return r, nil
}
