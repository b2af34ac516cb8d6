package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/portal"
	"github.com/sppt/sppt/quota"
)

// wireQuota builds quota, booking and the citizen portal.
func (a *App) wireQuota(ctx context.Context) error {
	a.Quota = &quota.Service{Pool: a.Pool, Clock: a.Clock, Jobs: a.Jobs, Sched: a.Sched,
		Notifier: quotaNotifier{a}, Log: a.Log, Booths: boothWriter{a},
		MaxQueued: a.Cfg.BookingQueue, MaxQueueWait: a.Cfg.BookingQueueWait}
	if err := a.Quota.Register(ctx); err != nil {
		return err
	}
	a.Portal = &portal.Service{Pool: a.Pool, Clock: a.Clock, Directory: directory{a}, Quota: a.Quota, Tokens: a.Tokens,
		OTP: otpSender{a}, Applications: applicationStatus{a}, Pages: a.Pages, Log: a.Log,
		SecureCookies: strings.HasPrefix(a.Cfg.PublicBaseURL, "https://")}
	a.Portal.CheckIns, a.Portal.Fees = bookingCheckIns{a}, feeSchedule{a}
	a.routes = append(a.routes, a.Portal.Routes)
	a.pages = append(a.pages, func(a *App) { a.Portal.PageRoutes(a.fiber) })
	a.demoSeeders = append(a.demoSeeders, func(ctx context.Context, a *App, out io.Writer) error {
		n, err := a.Quota.SeedDemo(ctx, DemoOffices, 30)
		if err == nil {
			fmt.Fprintf(out, "Demo quota: %d office-days released for %v (next 30 working days)\n", n, DemoOffices)
		}
		return err
	})
	return nil
}

// directory adapts the quota package to the portal's Directory.
type directory struct{ a *App }

func (d directory) Offices(ctx context.Context) ([]portal.Office, error) {
	offices, err := quota.Offices(ctx, d.a.Pool)
	if err != nil {
		return nil, err
	}
	out := make([]portal.Office, len(offices))
	for i, o := range offices {
		out[i] = portal.Office{Code: o.Code, Name: o.Name, City: o.City, Timezone: o.Timezone, Address: o.Address, Province: o.Region}
	}
	return out, nil
}

// Today is an office's seats today (in its own zone).
func (d directory) Today(ctx context.Context, office string) (portal.TodayQuota, error) {
	o, err := quota.GetOffice(ctx, d.a.Pool, office)
	if err != nil {
		return portal.TodayQuota{}, err
	}
	st, err := d.a.Quota.Day(ctx, office, o.Day(d.a.Clock.Now()))
	if err != nil {
		return portal.TodayQuota{}, err
	}
	return portal.TodayQuota{Open: st.Open, OnlineRemaining: st.Online.Remaining, WalkinRemaining: st.Walkin.Remaining}, nil
}

// otpSender gives the portal the SMS service's sign-in codes.
type otpSender struct{ a *App }

func (o otpSender) SendOTP(ctx context.Context, tx pgx.Tx, phone, code, key string, ttl time.Duration) error {
	return o.a.SMS.SendOTP(ctx, tx, phone, code, key, ttl)
}

// applicationStatus gives the portal the backoffice's status lookup.
type applicationStatus struct{ a *App }

func (s applicationStatus) Status(ctx context.Context, no string, birth time.Time) (portal.Application, error) {
	p, err := s.a.Backoffice.Applications.Status(ctx, no, birth)
	if errors.Is(err, application.ErrNotFound) {
		return portal.Application{}, portal.ErrNotFound
	}
	return portal.Application{ApplicationNo: p.No, Stage: string(p.Stage), UpdatedAt: p.UpdatedAt}, err
}
