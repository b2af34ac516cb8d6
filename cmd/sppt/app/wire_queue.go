package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/devices"
	"github.com/sppt/sppt/quota"
	"github.com/sppt/sppt/sms"
)

// wireQueue builds devices' HTTP and the live feed on the backoffice's queue,
// and the nightly close of ended days.
func (a *App) wireQueue(house *backoffice.House) error {
	a.DeviceHTTP = &devices.Service{Registry: a.Devices, Queue: deviceQueue{house.Queue}, Hub: a.Hub, Pages: a.Pages, Clock: a.Clock,
		Log: a.Log, OfficerPage: house.Guard, Offices: officeHours{a}, Upcoming: house.Queue,
		KioskIdle: time.Duration(a.Cfg.KioskIdleSeconds) * time.Second, Booths: deviceBooths{house.Queue},
		SecureCookies: strings.HasPrefix(a.Cfg.PublicBaseURL, "https://")}
	a.routes = append(a.routes, a.DeviceHTTP.Routes)
	a.pages = append(a.pages, func(a *App) {
		a.DeviceHTTP.PageRoutes(a.fiber)
		// Open feeds end at shutdown instead of holding it up.
		a.fiber.Hooks().OnPreShutdown(func() error { a.DeviceHTTP.Stop(); return nil })
	})
	a.demoSeeders = append(a.demoSeeders, seedQueueDemo)
	house.Queue.Notifier = queueNotifier{a}
	house.Queue.Planning = planning{a}
	a.loops = append(a.loops, func(ctx context.Context) { house.Queue.RunNear(ctx, nearPass) })
	// Every quarter hour: Indonesia's three zones all reach midnight on the hour.
	return a.Sched.Add("queue-close-days", "*/15 * * * *", time.UTC, func(ctx context.Context, _ time.Time) error {
		n, err := house.Queue.CloseEndedDays(ctx, a.Clock.Now())
		if n > 0 {
			a.Log.Info("queue: tickets of ended days closed", "tickets", n)
		}
		return err
	})
}

// nearPass is how often a worker looks for "your turn is near" texts that
// no call's nudge sent (a crash, an HTTP-only instance's calls).
const nearPass = 20 * time.Second

// queueNotifier hands the queue's texts to the SMS service.
type queueNotifier struct{ a *App }

func (n queueNotifier) Notify(ctx context.Context, tx pgx.Tx, q queue.Notice) error {
	return n.a.SMS.Notify(ctx, tx, sms.Notice{Kind: q.Kind, Phone: q.Phone, Office: q.Office, Key: q.Key, Params: q.Params})
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

// seats adapts the quota package's check-in functions to the queue; quota's
// HTTP file says what its refusals mean to the applicant.
type seats struct{ a *App }

func (s seats) CheckIn(ctx context.Context, tx pgx.Tx, code, nik, office string, day, now time.Time) (queue.CheckedInBooking, error) {
	b, err := quota.CheckIn(ctx, tx, code, nik, office, day, now)
	if err != nil {
		return queue.CheckedInBooking{}, quota.HTTPError(err)
	}
	return queue.CheckedInBooking{ID: b.ID, Service: b.Service, NIK: b.NIK, FullName: b.FullName, Sex: b.Sex,
		Phone: b.Phone, BirthDate: b.BirthDate, AlreadyCheckedIn: b.Already}, nil
}

func (s seats) TakeWalkin(ctx context.Context, tx pgx.Tx, office string, day time.Time, priority bool, now time.Time) error {
	_, err := quota.TakeWalkin(ctx, tx, office, day, priority, now)
	return quota.HTTPError(err)
}

func (s seats) Today(ctx context.Context, office string, day time.Time) (any, error) {
	c, _, err := quota.DaySeats(ctx, s.a.Pool, office, day)
	return c, err
}

// offices gives the queue the quota package's office rows.
type offices struct{ a *App }

func (o offices) SetRunningText(ctx context.Context, tx pgx.Tx, office, text string) (bool, error) {
	return o.a.Quota.SetRunningText(ctx, tx, office, text)
}

// deviceQueue gives devices the queue: tickets are the same type; the state
// converts to the devices' own; errors are the queue's HTTP answers.
type deviceQueue struct{ *queue.Service }

func (d deviceQueue) CheckIn(ctx context.Context, office, code, nik, actor string) (devices.Ticket, error) {
	t, err := d.Service.CheckIn(ctx, office, code, nik, actor)
	return t, queue.HTTPError(err)
}

func (d deviceQueue) Walkin(ctx context.Context, office, service, actor string) (devices.Ticket, error) {
	t, err := d.Service.Walkin(ctx, office, service, actor)
	return t, queue.HTTPError(err)
}

func (d deviceQueue) State(ctx context.Context, office string) (devices.State, error) {
	s, err := d.Service.State(ctx, office)
	out := devices.State{Office: s.Office, OfficeName: s.OfficeName, Timezone: s.Timezone, Date: s.Date, Waiting: s.Waiting, WaitingBy: s.WaitingBy,
		RunningText: s.RunningText, Quota: s.Quota, Serving: make([]devices.Call, len(s.Serving))}
	for i, c := range s.Serving {
		out.Serving[i] = devices.Call{Ticket: c.Ticket, Booth: c.Booth, Service: c.Service, CalledAt: c.CalledAt}
	}
	return out, queue.HTTPError(err)
}

// deviceBooths gives the devices page the office's booth numbers.
type deviceBooths struct{ q *queue.Service }

func (b deviceBooths) BoothNumbers(ctx context.Context, office string) ([]int, error) {
	booths, err := b.q.Booths(ctx, office)
	out := make([]int, len(booths))
	for i, x := range booths {
		out[i] = x.Number
	}
	return out, err
}
