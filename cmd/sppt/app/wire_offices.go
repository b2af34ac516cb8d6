package app

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/office"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/quota"
)

// boothWriter gives quota's offices import the queue's booths, in the
// import's transaction.
type boothWriter struct{ a *App }

func (b boothWriter) SetBoothsTx(ctx context.Context, tx pgx.Tx, office string, booths []quota.BoothSpec, actor string) error {
	out := make([]queue.Booth, len(booths))
	for i, bs := range booths {
		out[i] = queue.Booth{Number: bs.Number, Name: bs.Name, Services: bs.Services}
	}
	return b.a.Queue.SetBoothsTx(ctx, tx, office, out, actor)
}

// officeAdmin gives the office and holidays admin pages the quota domain.
type officeAdmin struct{ a *App }

func (o officeAdmin) Offices(ctx context.Context) ([]office.Ref, error) {
	list, err := quota.Offices(ctx, o.a.Pool)
	out := make([]office.Ref, len(list))
	for i, x := range list {
		out[i] = office.Ref{Code: x.Code, Name: x.Name}
	}
	return out, err
}

func (o officeAdmin) Spec(ctx context.Context, code string) (map[string]string, string, error) {
	of, err := quota.GetOffice(ctx, o.a.Pool, code)
	if errors.Is(err, quota.ErrNoOffice) {
		return nil, "", office.ErrNoOffice
	}
	if err != nil {
		return nil, "", err
	}
	tomorrow := of.Day(o.a.Clock.Now()).AddDate(0, 0, 1)
	sp, err := o.a.Quota.OfficeSpecOn(ctx, code, tomorrow)
	return sp.Record(), tomorrow.Format(time.DateOnly), err
}

func (o officeAdmin) Versions(ctx context.Context, code string) ([]office.Version, error) {
	vs, err := o.a.Quota.OfficeVersions(ctx, code)
	out := make([]office.Version, len(vs))
	for i, v := range vs {
		out[i] = office.Version{From: v.From.Format(time.DateOnly), Fields: v.Spec}
	}
	return out, err
}

func (o officeAdmin) Set(ctx context.Context, code string, changes map[string]string, actor string) error {
	_, err := o.a.Quota.SetOffice(ctx, code, changes, actor)
	if errors.Is(err, quota.ErrNoOffice) {
		return office.ErrNoOffice
	}
	return invalid(err)
}

// invalid turns quota's refused values into the page's.
func invalid(err error) error {
	var se *quota.SpecError
	if !errors.As(err, &se) {
		return err
	}
	out := make(office.Invalid, len(se.Errors))
	for i, fe := range se.Errors {
		out[i] = office.FieldError{Field: fe.Field, Key: fe.Key, Msg: fe.Msg}
	}
	return out
}

func (o officeAdmin) Holidays(ctx context.Context, year int) ([]office.Holiday, error) {
	hs, err := o.a.Quota.Holidays(ctx, year)
	out := make([]office.Holiday, len(hs))
	for i, h := range hs {
		out[i] = office.Holiday{Day: h.Day.Format(time.DateOnly), Kind: h.Kind, Name: h.Name, Office: h.Office}
	}
	return out, err
}

func (o officeAdmin) AddHoliday(ctx context.Context, h office.Holiday, actor string) error {
	day, _ := time.Parse(time.DateOnly, h.Day) // zero when unreadable: quota names the field
	return invalid(o.a.Quota.AddHoliday(ctx, quota.Holiday{Day: day, Kind: h.Kind, Name: h.Name, Office: h.Office}, actor))
}

func (o officeAdmin) RemoveHoliday(ctx context.Context, day, code, actor string) (bool, error) {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return false, office.Invalid{{Field: "day", Key: "date"}}
	}
	return o.a.Quota.RemoveHoliday(ctx, d, code, actor)
}

func (o officeAdmin) MissingCalendar(ctx context.Context) (int, error) {
	return o.a.Quota.MissingCalendar(ctx)
}
