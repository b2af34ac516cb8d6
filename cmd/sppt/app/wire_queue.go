package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice"
	"github.com/sppt/sppt/devices"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/quota"
)

// wireQueue builds the on-site queue, devices' HTTP and the live feed.
func (a *App) wireQueue(ctx context.Context) error {
	a.Queue = &backoffice.Queue{Pool: a.Pool, Clock: a.Clock, Tokens: a.Tokens, Seats: seats{a}, Pages: a.Pages, Log: a.Log}
	pageAuth := &backoffice.PageAuth{Pool: a.Pool, Tokens: a.Tokens, Throttle: auth.DefaultThrottle, Clock: a.Clock, Pages: a.Pages,
		Secure: strings.HasPrefix(a.Cfg.PublicBaseURL, "https://")}
	a.DeviceHTTP = &devices.Service{Registry: a.Devices, Queue: deviceQueue{a.Queue}, Hub: a.Hub, Pages: a.Pages, Clock: a.Clock,
		Log: a.Log, OfficerPage: pageAuth.Require, Offices: officeHours{a}, Upcoming: a.Queue,
		KioskIdle: time.Duration(a.Cfg.KioskIdleSeconds) * time.Second}
	a.routes = append(a.routes, a.Queue.Routes, a.DeviceHTTP.Routes)
	a.pages = append(a.pages, func(a *App) {
		pageAuth.PageRoutes(a.fiber)
		a.Queue.PageRoutes(a.fiber, pageAuth.Require(backoffice.QueueRoles...))
		a.DeviceHTTP.PageRoutes(a.fiber)
		// Open feeds end at shutdown instead of holding it up.
		a.fiber.Hooks().OnPreShutdown(func() error { a.DeviceHTTP.Stop(); return nil })
	})
	a.demoSeeders = append(a.demoSeeders, seedQueueDemo)
	// Every quarter hour: Indonesia's three zones all reach midnight on the hour.
	return a.Sched.Add("queue-close-days", "*/15 * * * *", time.UTC, func(ctx context.Context, _ time.Time) error {
		n, err := a.Queue.CloseEndedDays(ctx, a.Clock.Now())
		if n > 0 {
			a.Log.Info("queue: tickets of ended days closed", "tickets", n)
		}
		return err
	})
}

// seedQueueDemo gives each demo office its default booths.
func seedQueueDemo(ctx context.Context, a *App, out io.Writer) error {
	fmt.Fprintln(out, "Demo booths:")
	for _, office := range DemoOffices {
		added, err := a.Queue.SeedBooths(ctx, office, "system:seed")
		if err != nil {
			return err
		}
		state := "already configured"
		if added {
			state = "booths 1-6 (OSS: A B C D F), 7-8 (pickup: E)"
		}
		fmt.Fprintf(out, "  %s %s; TV %s/tv/%s, kiosk %s/kiosk, booth screen %s/backoffice/queue\n", office, state,
			a.Cfg.PublicBaseURL, office, a.Cfg.PublicBaseURL, a.Cfg.PublicBaseURL)
	}
	return nil
}

// seats adapts the quota package's check-in functions to the queue.
type seats struct{ a *App }

func (s seats) CheckIn(ctx context.Context, tx pgx.Tx, code, nik, office string, day, now time.Time) (backoffice.CheckedInBooking, error) {
	b, err := quota.CheckIn(ctx, tx, code, nik, office, day, now)
	if err != nil {
		return backoffice.CheckedInBooking{}, checkinError(err)
	}
	return backoffice.CheckedInBooking{ID: b.ID, Service: b.Service, NIK: b.NIK, FullName: b.FullName, Sex: b.Sex,
		Phone: b.Phone, BirthDate: b.BirthDate, AlreadyCheckedIn: b.Already}, nil
}

func (s seats) TakeWalkin(ctx context.Context, tx pgx.Tx, office string, day time.Time, priority bool, now time.Time) error {
	_, err := quota.TakeWalkin(ctx, tx, office, day, priority, now)
	return checkinError(err)
}

func (s seats) Today(ctx context.Context, office string, day time.Time) (any, error) {
	c, _, err := quota.DaySeats(ctx, s.a.Pool, office, day)
	return c, err
}

// checkinError maps the quota package's kiosk errors to CONTRACT.md's.
func checkinError(err error) error {
	for _, m := range []struct {
		err    error
		status int
	}{
		{quota.ErrCheckinNotFound, http.StatusNotFound},
		{quota.ErrNIKMismatch, http.StatusUnprocessableEntity},
		{quota.ErrWrongOffice, http.StatusUnprocessableEntity},
		{quota.ErrWrongDay, http.StatusUnprocessableEntity},
		{quota.ErrBookingNotActive, http.StatusConflict},
		{quota.ErrWalkinExhausted, http.StatusConflict},
	} {
		if errors.Is(err, m.err) {
			return httpx.New(m.status, m.err.Error())
		}
	}
	return err
}

// deviceQueue adapts the backoffice queue to what devices need.
type deviceQueue struct{ q *backoffice.Queue }

func (d deviceQueue) CheckIn(ctx context.Context, office, code, nik, actor string) (devices.Ticket, error) {
	t, err := d.q.CheckIn(ctx, office, code, nik, actor)
	return deviceTicket(t), err
}

func (d deviceQueue) Walkin(ctx context.Context, office, service, actor string) (devices.Ticket, error) {
	t, err := d.q.Walkin(ctx, office, service, actor)
	return deviceTicket(t), err
}

func (d deviceQueue) State(ctx context.Context, office string) (devices.State, error) {
	s, err := d.q.State(ctx, office)
	out := devices.State{Office: s.Office, OfficeName: s.OfficeName, Timezone: s.Timezone, Date: s.Date, Waiting: s.Waiting, WaitingBy: s.WaitingBy,
		RunningText: s.RunningText, Quota: s.Quota, Serving: make([]devices.Call, len(s.Serving))}
	for i, c := range s.Serving {
		out.Serving[i] = devices.Call{Ticket: c.Ticket, Booth: c.Booth, Service: c.Service, CalledAt: c.CalledAt}
	}
	return out, err
}

func deviceTicket(t backoffice.Ticket) devices.Ticket {
	return devices.Ticket{Number: t.Number, Service: t.Service, Office: t.Office, Date: t.Date, IssuedAt: t.IssuedAt,
		WaitingAhead: t.WaitingAhead, ApplicationNo: t.ApplicationNo, Walkin: t.Walkin}
}
