package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/idn"
	"github.com/sppt/sppt/quota"
	"github.com/sppt/sppt/sms"
)

// wireSMS builds the messaging service: provider (SMS_DRIVER), the
// rate-limited outbox, Twilio's webhooks, the daily quota broadcast, the
// quota notifier (every citizen notice is worded by sms.Service), and
// `sppt broadcast quota`.
func (a *App) wireSMS(ctx context.Context) error {
	provider, err := a.smsProvider()
	if err != nil {
		return err
	}
	a.Outbox = &sms.Outbox{Pool: a.Pool, Jobs: a.Jobs, Clock: a.Clock, Provider: provider, Log: a.Log,
		Limiter: &sms.RateLimiter{Pool: a.Pool, Rate: a.Cfg.SMSRatePerSecond}}
	a.Outbox.Register(a.Jobs)
	offices, err := newSMSOffices(a)
	if err != nil {
		return err
	}
	a.SMS = &sms.Service{Pool: a.Pool, Clock: a.Clock, Outbox: a.Outbox, Catalog: a.Catalog, Log: a.Log, Pages: a.Pages,
		AuthToken: a.Cfg.TwilioAuthToken, PublicBaseURL: a.Cfg.PublicBaseURL,
		Offices: offices, Quota: smsQuota{a}, Queue: smsQueue{a}, Status: smsStatus{a}}
	a.routes = append(a.routes, a.SMS.Routes)
	a.pages = append(a.pages, func(a *App) { a.smsPages() })
	// Every minute, each office whose opening time (in its own zone) is this
	// minute gets its broadcast; the scheduler fires each minute on one instance.
	if err := a.Sched.Add("sms-quota-broadcast", "* * * * *", time.UTC, a.SMS.BroadcastDue); err != nil {
		return err
	}
	a.demoSeeders = append(a.demoSeeders, seedSMSDemo)
	return nil
}

// smsProvider picks the driver named by SMS_DRIVER.
func (a *App) smsProvider() (sms.Provider, error) {
	switch a.Cfg.SMSDriver {
	case "", "log":
		return &sms.LogProvider{Log: a.Log, Demo: a.demoSMS}, nil
	case "twilio":
		return sms.NewTwilio(sms.TwilioConfig{AccountSID: a.Cfg.TwilioAccountSID, AuthToken: a.Cfg.TwilioAuthToken,
			From: a.Cfg.TwilioFrom, MessagingServiceSID: a.Cfg.TwilioMessagingService, APIURL: a.Cfg.TwilioAPIURL,
			StatusCallback: strings.TrimRight(a.Cfg.PublicBaseURL, "/") + "/api/v1" + sms.StatusPath})
	}
	return nil, fmt.Errorf("SMS_DRIVER: want log or twilio, got %q", a.Cfg.SMSDriver)
}

// quotaNotifier is the quota.Notifier (and quota.BatchNotifier): quota says
// what happened, sms words it. It only converts; no text is made here.
type quotaNotifier struct{ a *App }

func (n quotaNotifier) Notify(ctx context.Context, tx pgx.Tx, no quota.Notice) error {
	return n.a.SMS.Notify(ctx, tx, smsNotice(no))
}

// NotifyBatch stores a group commit's messages with one INSERT and their send
// jobs with one COPY (sms.Service.NotifyMany).
func (n quotaNotifier) NotifyBatch(ctx context.Context, tx pgx.Tx, ns []quota.Notice) error {
	out := make([]sms.Notice, len(ns))
	for i, no := range ns {
		out[i] = smsNotice(no)
	}
	return n.a.SMS.NotifyMany(ctx, tx, out)
}

func smsNotice(no quota.Notice) sms.Notice {
	return sms.Notice{Kind: no.Kind, Phone: no.Phone, Office: no.Office, Key: no.Key, Params: no.Params}
}

// smsOffices reads offices for messages, kept for a minute of real time
// (a cache's age is not business time: under SPPT_CLOCK_RATE it would expire
// many times a second). Messages are worded inside the caller's transaction
// (Notify), so once the list is loaded a stale one is served while one
// refresh runs beside it: a transaction holding its rows must never wait for
// a second pool connection, which a busy pool may not have (the office-day
// simulation deadlocked that way, every connection waiting on the one
// transaction that waited for a connection). The first read, and the read
// for an office added since, cannot be served stale: they go through a
// connection of their own (side), never the main pool, so a crowd of first
// bookings, each in a transaction holding a main connection, cannot starve
// the one read they all wait for (the load proof's 120 offices did).
type smsOffices struct {
	a          *App
	side       *pgxpool.Pool
	mu         sync.Mutex
	at         time.Time
	list       []sms.Office
	refreshing bool
}

const smsOfficesFor = time.Minute

// newSMSOffices gives the list its own pool of one connection, opened when
// needed and closed when idle.
func newSMSOffices(a *App) (*smsOffices, error) {
	cfg := a.Pool.Config()
	cfg.MaxConns, cfg.MinConns, cfg.MaxConnIdleTime = 1, 0, time.Minute
	side, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	a.stoppers = append(a.stoppers, func(context.Context) error { side.Close(); return nil })
	return &smsOffices{a: a, side: side}, nil
}

func (o *smsOffices) Offices(ctx context.Context) ([]sms.Office, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.list == nil {
		return o.load(ctx)
	}
	if time.Since(o.at) >= smsOfficesFor && !o.refreshing {
		o.refreshing = true
		go func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			o.mu.Lock()
			defer o.mu.Unlock()
			o.refreshing = false
			if _, err := o.load(ctx); err != nil {
				o.a.Log.Warn("sms: offices not refreshed", "err", err)
			}
		}()
	}
	return o.list, nil
}

// load reads the offices; o.mu is held.
func (o *smsOffices) load(ctx context.Context) ([]sms.Office, error) {
	offices, err := quota.Offices(ctx, o.side)
	if err != nil {
		return nil, err
	}
	list := make([]sms.Office, len(offices))
	for i, q := range offices {
		loc, err := civil.Zone(q.Timezone)
		if err != nil {
			return nil, err
		}
		list[i] = sms.Office{Code: q.Code, Name: q.Name, Location: loc, Opens: q.Opens}
	}
	o.list, o.at = list, time.Now()
	return list, nil
}

func (o *smsOffices) Office(ctx context.Context, code string) (sms.Office, bool, error) {
	list, err := o.Offices(ctx)
	if err != nil {
		return sms.Office{}, false, err
	}
	for _, of := range list {
		if of.Code == code {
			return of, true, nil
		}
	}
	// An office added since the list was read: read it again now, at most
	// every few seconds.
	o.mu.Lock()
	if time.Since(o.at) > 5*time.Second {
		list, err = o.load(ctx)
	}
	o.mu.Unlock()
	for _, of := range list {
		if of.Code == code {
			return of, true, err
		}
	}
	return sms.Office{}, false, err
}

// smsQuota reads a day's seats through the quota service.
type smsQuota struct{ a *App }

func (q smsQuota) DayQuota(ctx context.Context, office string, day time.Time) (sms.DayQuota, error) {
	st, err := q.a.Quota.Day(ctx, office, day)
	if err != nil {
		return sms.DayQuota{}, err
	}
	return sms.DayQuota{Known: st.SeatsKnown(), Open: st.Serves(), OnlineCapacity: st.Online.Capacity,
		OnlineRemaining: st.Online.Remaining, WalkinCapacity: st.Walkin.Capacity, WalkinRemaining: st.Walkin.Remaining}, nil
}

// smsQueue reads the tickets being served from the on-site queue.
type smsQueue struct{ a *App }

func (q smsQueue) Serving(ctx context.Context, office string) (sms.QueueStatus, error) {
	if q.a.Queue == nil {
		return sms.QueueStatus{}, nil
	}
	st, err := q.a.Queue.State(ctx, office)
	if err != nil {
		return sms.QueueStatus{}, err
	}
	out := sms.QueueStatus{Waiting: st.Waiting, NewWaitMin: -1}
	for _, c := range st.Serving {
		out.Serving = append(out.Serving, c.Ticket)
	}
	f, err := q.a.Queue.Forecast(ctx, office)
	if e, ok := f.New["new"]; ok {
		out.NewWaitMin = max(e.WaitMin, 0)
	}
	return out, err
}

func (q smsQueue) Wait(ctx context.Context, office, ticket string) (sms.TicketWait, bool, error) {
	if q.a.Queue == nil {
		return sms.TicketWait{}, false, nil
	}
	e, ok, err := q.a.Queue.Expect(ctx, office, ticket)
	return sms.TicketWait{Ahead: e.Ahead, Minutes: max(e.WaitMin, 0), CallAt: e.CallAt}, ok, err
}

// smsStatus answers STATUS from the backoffice's applications.
type smsStatus struct{ a *App }

func (s smsStatus) Stage(ctx context.Context, applicationNo, phone string) (string, bool, error) {
	return s.a.Backoffice.Applications.Stage(ctx, applicationNo, phone)
}

// seedSMSDemo subscribes two demo phones to JKS's broadcast, so the
// backoffice SMS page has something to show after `sppt broadcast quota`.
func seedSMSDemo(ctx context.Context, a *App, out io.Writer) error {
	phones := []string{"+6281200000001", "+6281200000002"}
	if err := a.SMS.SeedDemoSubscribers(ctx, "JKS", phones); err != nil {
		return err
	}
	fmt.Fprintf(out, "Demo SMS: %d phones subscribed to JKS (%s…); try `sppt broadcast quota --office JKS`, then %s/backoffice/sms\n",
		len(phones), idn.MaskPhone(phones[0]), a.Cfg.PublicBaseURL)
	return nil
}

// smsPages mounts the backoffice SMS page behind the officers' page sign-in.
func (a *App) smsPages() {
	a.SMS.PageRoutes(a.fiber, a.Backoffice.Guard(sms.PageRoles...))
}
