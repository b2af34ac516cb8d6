package app

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/exception"
	"github.com/sppt/sppt/backoffice/feedback"
	"github.com/sppt/sppt/backoffice/intake"
	"github.com/sppt/sppt/backoffice/printing"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/backoffice/watchlist"
	"github.com/sppt/sppt/internal/sealed"
	"github.com/sppt/sppt/portal"
)

// wireIntake builds the OSS desk and the feedback it ends with, and gives
// the desk the queue, the passport register, the watchlist and the office
// calendar through its own small interfaces.
func (a *App) wireIntake(context.Context) error {
	wl, err := watchlist.ConfigFrom(os.Getenv)
	if err != nil {
		return err
	}
	box, _, err := sealed.Load(a.Cfg.DataKey, a.Cfg.DataKeyFile, a.Cfg.Env == "production")
	if err != nil {
		a.Log.Warn("document scans disabled: no data key", "err", err)
		box = nil
	}
	h := a.Backoffice
	a.Intake = &intake.Service{Pool: a.Pool, Clock: a.Clock, Stages: h.Stages, Apps: h.Applications,
		Tickets: deskTickets{a.Queue}, Passports: passportRegister{&printing.Register{Pool: a.Pool}},
		Watchlist: watchlistCheck{watchlist.New(a.Pool, wl)}, Calendar: officeCalendar{a},
		Cases: deskCases{a}, Box: box, Tokens: a.Tokens, Pages: a.Pages, Log: a.Log}
	a.Intake.Register()
	if a.Portal != nil {
		a.Portal.Documents = portalDocuments{a.Intake}
	}
	a.Feedback = &feedback.Service{Pool: a.Pool, Clock: a.Clock, Apps: h.Applications, Tokens: a.Tokens, Pages: a.Pages}
	a.routes = append(a.routes, a.Intake.Routes, a.Feedback.Routes)
	a.pages = append(a.pages, func(a *App) {
		a.Intake.PageRoutes(a.fiber, a.Backoffice.Guard(intake.Roles...))
		a.Feedback.PageRoutes(a.fiber, a.Backoffice.Guard)
	})
	return nil
}

// deskCases hands the desk's findings to the hold's exception case.
type deskCases struct{ a *App }

func (d deskCases) Found(ctx context.Context, tx pgx.Tx, no string, e intake.Evidence) error {
	if d.a.Exception == nil {
		return nil
	}
	return d.a.Exception.Found(ctx, tx, no, exception.Finding{Source: e.Source, WatchlistEntryID: e.WatchlistEntryID,
		EntryKind: e.EntryKind, ByNIK: e.ByNIK, Score: e.Score, PassportNo: e.PassportNo})
}

// deskTickets is the desk's view of the queue.
type deskTickets struct{ q *queue.Service }

func (d deskTickets) AtBooth(ctx context.Context, office string, booth int) (intake.Ticket, error) {
	t, err := d.q.AtBooth(ctx, office, booth)
	if errors.Is(err, queue.ErrNoCurrentTicket) {
		return intake.Ticket{}, intake.ErrNoTicket
	}
	return intake.Ticket{ID: t.ID, Number: t.Number, Service: t.Service, Day: t.Day, Walkin: t.Walkin, ApplicationNo: t.ApplicationNo}, err
}

func (d deskTickets) Attach(ctx context.Context, tx pgx.Tx, ticketID, applicationID int64) (bool, error) {
	return d.q.AttachApplication(ctx, tx, ticketID, applicationID)
}

// passportRegister is the desk's view of printing's passport register.
type passportRegister struct{ r *printing.Register }

func (p passportRegister) ValidFor(ctx context.Context, nik string, day time.Time) (intake.Passport, bool, error) {
	v, ok, err := p.r.ValidFor(ctx, nik, day)
	return intake.Passport{No: v.No, ExpiresOn: v.ExpiresOn}, ok, err
}

// watchlistCheck is the desk's view of the cekal list.
type watchlistCheck struct{ l *watchlist.List }

func (w watchlistCheck) Check(ctx context.Context, q intake.WatchQuery) ([]intake.WatchHit, error) {
	hits, err := w.l.Check(ctx, watchlist.Query{NIK: q.NIK, FullName: q.FullName, BirthDate: q.BirthDate, On: q.On})
	out := make([]intake.WatchHit, len(hits))
	for i, h := range hits {
		out[i] = intake.WatchHit{EntryID: h.ID, Kind: h.Kind, Score: h.Score, ByNIK: h.ByNIK}
	}
	return out, err
}

// officeCalendar is the desk's view of the office calendar (quota) and zone.
type officeCalendar struct{ a *App }

func (c officeCalendar) Location(ctx context.Context, office string) (*time.Location, error) {
	return c.a.Queue.Location(ctx, office)
}

func (c officeCalendar) AddWorkingDays(ctx context.Context, office string, from time.Time, n int) (time.Time, error) {
	return c.a.Quota.AddWorkingDays(ctx, office, from, n)
}

// portalDocuments is the portal's view of the desk's scan store: the
// citizen's own uploads before arrival.
type portalDocuments struct{ s *intake.Service }

func (p portalDocuments) Upload(ctx context.Context, bookingID int64, office, kind string, data []byte, sum, actor string) (portal.DocumentScan, error) {
	sc, err := p.s.AddCitizenScan(ctx, bookingID, office, kind, data, sum, actor)
	return portal.DocumentScan{ID: sc.ID, Kind: sc.Kind, ContentType: sc.ContentType, Size: sc.Size, SHA256: sc.SHA256,
		UploadedAt: sc.UploadedAt}, err
}
