package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice"
	"github.com/sppt/sppt/internal/auth"
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
	a.SMS = &sms.Service{Pool: a.Pool, Clock: a.Clock, Outbox: a.Outbox, Catalog: a.Catalog, Log: a.Log, Pages: a.Pages,
		AuthToken: a.Cfg.TwilioAuthToken, PublicBaseURL: a.Cfg.PublicBaseURL,
		Offices: &smsOffices{a: a}, Quota: smsQuota{a}, Queue: smsQueue{a}, Status: smsStatus{a}}
	a.Notifier = quotaNotifier{a.SMS}
	a.routes = append(a.routes, a.SMS.Routes)
	a.pages = append(a.pages, func(a *App) { a.smsPages() })
	a.loops = append(a.loops, a.Outbox.RescueLoop)
	a.BroadcastCommand = a.broadcastCommand
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
		return &sms.LogProvider{Log: a.Log}, nil
	case "twilio":
		return sms.NewTwilio(sms.TwilioConfig{AccountSID: a.Cfg.TwilioAccountSID, AuthToken: a.Cfg.TwilioAuthToken,
			From: a.Cfg.TwilioFrom, MessagingServiceSID: a.Cfg.TwilioMessagingService, APIURL: a.Cfg.TwilioAPIURL,
			StatusCallback: strings.TrimRight(a.Cfg.PublicBaseURL, "/") + "/api/v1" + sms.StatusPath})
	}
	return nil, fmt.Errorf("SMS_DRIVER: want log or twilio, got %q", a.Cfg.SMSDriver)
}

// broadcastCommand is `sppt broadcast quota [--office JKS]`: today's quota
// broadcast now, as the scheduler would send it (a second run the same day
// reaches only new subscribers).
func (a *App) broadcastCommand(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "quota" {
		return errors.New("usage: sppt broadcast quota [--office JKS]")
	}
	fs := flag.NewFlagSet("broadcast quota", flag.ContinueOnError)
	office := fs.String("office", "", "office code (default: every office)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	codes := []string{strings.ToUpper(*office)}
	if *office == "" {
		offices, err := a.SMS.Offices.Offices(ctx)
		if err != nil {
			return err
		}
		codes = codes[:0]
		for _, o := range offices {
			codes = append(codes, o.Code)
		}
	}
	for _, code := range codes {
		res, err := a.SMS.BroadcastQuota(ctx, code)
		if errors.Is(err, sms.ErrUnknownOffice) {
			return fmt.Errorf("--office: no office %q", code)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", code, err)
		}
		if res.Skipped != "" {
			fmt.Printf("%s %s: nothing sent (%s)\n", res.Office, res.Day.Format(time.DateOnly), res.Skipped)
			continue
		}
		fmt.Printf("%s %s: %d messages queued (broadcast %d)\n", res.Office, res.Day.Format(time.DateOnly), res.Queued, res.ID)
	}
	return nil
}

// quotaNotifier is the quota.Notifier (and quota.BatchNotifier): quota says
// what happened, sms words it. It only converts; no text is made here.
type quotaNotifier struct{ s *sms.Service }

func (n quotaNotifier) Notify(ctx context.Context, tx pgx.Tx, no quota.Notice) error {
	return n.s.Notify(ctx, tx, smsNotice(no))
}

// NotifyBatch stores a group commit's messages with one INSERT and their send
// jobs with one COPY (sms.Service.NotifyMany).
func (n quotaNotifier) NotifyBatch(ctx context.Context, tx pgx.Tx, ns []quota.Notice) error {
	out := make([]sms.Notice, len(ns))
	for i, no := range ns {
		out[i] = smsNotice(no)
	}
	return n.s.NotifyMany(ctx, tx, out)
}

func smsNotice(no quota.Notice) sms.Notice {
	return sms.Notice{Kind: no.Kind, Phone: no.Phone, Office: no.Office, Key: no.Key, Params: no.Params}
}

// smsOffices reads offices for messages, cached for a minute: every inbound
// query needs one and offices change rarely.
type smsOffices struct {
	a    *App
	mu   sync.Mutex
	at   time.Time
	list []sms.Office
}

func (o *smsOffices) Offices(ctx context.Context) ([]sms.Office, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.list != nil && time.Since(o.at) < time.Minute {
		return o.list, nil
	}
	offices, err := quota.Offices(ctx, o.a.Pool)
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
	return sms.Office{}, false, nil
}

// smsQuota reads a day's seats through the quota service.
type smsQuota struct{ a *App }

func (q smsQuota) DayQuota(ctx context.Context, office string, day time.Time) (sms.DayQuota, error) {
	st, err := q.a.Quota.Day(ctx, office, day)
	if err != nil {
		return sms.DayQuota{}, err
	}
	d := sms.DayQuota{Known: true, Open: true, OnlineCapacity: st.Online.Capacity, OnlineRemaining: st.Online.Remaining,
		WalkinCapacity: st.Walkin.Capacity, WalkinRemaining: st.Walkin.Remaining}
	switch st.Reason {
	case quota.ReasonNotReleased, quota.ReasonBeyond:
		d.Known = false
	case quota.ReasonWeekend, quota.ReasonHoliday, quota.ReasonPast:
		d.Open = false
	case quota.ReasonClosed: // closed by an admin, or after closing time: walk-in numbers no longer help
		d.Open = false
	}
	return d, nil
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
	out := sms.QueueStatus{Waiting: st.Waiting}
	for _, c := range st.Serving {
		out.Serving = append(out.Serving, c.Ticket)
	}
	return out, nil
}

// smsStatus answers STATUS from the applications table, only to the phone
// registered on the application.
type smsStatus struct{ a *App }

func (s smsStatus) Stage(ctx context.Context, applicationNo, phone string) (string, bool, error) {
	var stage string
	err := s.a.Pool.QueryRow(ctx, `SELECT stage FROM applications WHERE application_no = $1 AND phone = $2`,
		applicationNo, phone).Scan(&stage)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return stage, err == nil, err
}

// seedSMSDemo subscribes two demo phones to JKS's broadcast, so the
// backoffice SMS page has something to show after `sppt broadcast quota`.
func seedSMSDemo(ctx context.Context, a *App, out io.Writer) error {
	now := a.Clock.Now()
	phones := []string{"+6281200000001", "+6281200000002"}
	for _, p := range phones {
		if _, err := a.Pool.Exec(ctx, `INSERT INTO sms_subscriptions (office, phone, channel, lang, created_at)
			VALUES ('JKS', $1, 'sms', 'id', $2) ON CONFLICT DO NOTHING`, p, now); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "Demo SMS: %d phones subscribed to JKS (%s…); try `sppt broadcast quota --office JKS`, then %s/backoffice/sms\n",
		len(phones), idn.MaskPhone(phones[0]), a.Cfg.PublicBaseURL)
	return nil
}

// smsPages mounts the backoffice SMS page behind the officers' page sign-in
// (the backoffice's cookie; /backoffice/login is registered by wireQueue).
func (a *App) smsPages() {
	guard := &backoffice.PageAuth{Pool: a.Pool, Tokens: a.Tokens, Throttle: auth.DefaultThrottle, Clock: a.Clock, Pages: a.Pages,
		Secure: strings.HasPrefix(a.Cfg.PublicBaseURL, "https://")}
	a.SMS.PageRoutes(a.fiber, guard.Require(sms.PageRoles...))
}
