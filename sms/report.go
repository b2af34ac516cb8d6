package sms

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/idn"
)

// Report is what the backoffice SMS page shows for one office. Phones are
// masked and sign-in codes blanked before anything leaves this package.
type Report struct {
	Office   Office
	Days     []DayCounts
	Casts    []BroadcastProgress
	Inbound  []InboundRow
	LogMode  bool        // the log driver: nothing leaves, the outbox is listed
	Outbox   []OutboxRow // only in LogMode
	Provider string
}

// DayCounts are one office day's messages by outcome.
type DayCounts struct {
	Day                  time.Time
	Sent, Failed, Queued int
}

// BroadcastProgress is one broadcast: how many of its recipients are done.
type BroadcastProgress struct {
	ID                         int64
	Day                        time.Time
	Kind                       string
	Total, Sent, Failed, Queue int
}

// Done is how many recipients reached a final state (sent or not).
func (b BroadcastProgress) Done() int { return b.Sent + b.Failed }

// Percent is Done as a whole percentage of Total.
func (b BroadcastProgress) Percent() int {
	if b.Total == 0 {
		return 100
	}
	return b.Done() * 100 / b.Total
}

// InboundRow is one keyword query a citizen sent.
type InboundRow struct {
	At                            time.Time
	Phone, Channel, Command, Body string
}

// OutboxRow is one stored outbound message.
type OutboxRow struct {
	At                                 time.Time
	Phone, Channel, Kind, Status, Body string
}

const (
	reportDays    = 7
	reportCasts   = 5
	reportInbound = 20
	reportOutbox  = 30
)

// Report reads the office's last week of messages. Days are the office's
// calendar days; "now" is the business clock.
func (s *Service) Report(ctx context.Context, code string) (Report, error) {
	o, ok, err := s.Offices.Office(ctx, code)
	if err != nil {
		return Report{}, err
	}
	if !ok {
		return Report{}, ErrUnknownOffice
	}
	if o.Location == nil {
		o.Location = jakarta
	}
	r := Report{Office: o, Provider: s.Outbox.Provider.Name()}
	r.LogMode = r.Provider == "log"
	since := officeDay(o, s.Clock.Now()).AddDate(0, 0, -(reportDays - 1))
	since = time.Date(since.Year(), since.Month(), since.Day(), 0, 0, 0, 0, o.Location)
	steps := []func() error{
		func() (err error) { r.Days, err = s.dayCounts(ctx, o, since); return },
		func() (err error) { r.Casts, err = s.broadcastProgress(ctx, o.Code); return },
		func() (err error) { r.Inbound, err = s.recentInbound(ctx, o.Code); return },
	}
	if r.LogMode {
		steps = append(steps, func() (err error) { r.Outbox, err = s.recentOutbox(ctx, o.Code, since); return })
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return Report{}, err
		}
	}
	return r, nil
}

// Status groups of sms_messages: what the page calls sent, failed, queued.
const (
	sqlSent   = `status IN ('sent', 'delivered')`
	sqlFailed = `status IN ('failed', 'undelivered', 'stopped')`
	sqlQueued = `status IN ('queued', 'sending')`
)

func (s *Service) dayCounts(ctx context.Context, o Office, since time.Time) ([]DayCounts, error) {
	rows, err := s.Pool.Query(ctx, `SELECT (created_at AT TIME ZONE $2)::date AS day,
			count(*) FILTER (WHERE `+sqlSent+`), count(*) FILTER (WHERE `+sqlFailed+`), count(*) FILTER (WHERE `+sqlQueued+`)
		FROM sms_messages WHERE office = $1 AND created_at >= $3
		GROUP BY day ORDER BY day DESC`, o.Code, o.Location.String(), since)
	if err != nil {
		return nil, err
	}
	days, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (DayCounts, error) {
		var d DayCounts
		return d, row.Scan(&d.Day, &d.Sent, &d.Failed, &d.Queued)
	})
	if err != nil {
		return nil, err
	}
	// Recipients of a broadcast not yet handed to the outbox are queued too,
	// on the day their broadcast was made.
	pending, err := s.pendingByDay(ctx, o, since)
	if err != nil {
		return nil, err
	}
	for day, n := range pending {
		i := 0
		for i < len(days) && days[i].Day.After(day) {
			i++
		}
		if i == len(days) || !days[i].Day.Equal(day) {
			days = append(days[:i], append([]DayCounts{{Day: day}}, days[i:]...)...)
		}
		days[i].Queued += n
	}
	return days, nil
}

func (s *Service) broadcastProgress(ctx context.Context, office string) ([]BroadcastProgress, error) {
	rows, err := s.Pool.Query(ctx, `SELECT b.id, b.day, b.kind, b.total,
			(SELECT count(*) FROM sms_messages m WHERE m.broadcast_id = b.id AND m.`+sqlSent+`),
			(SELECT count(*) FROM sms_messages m WHERE m.broadcast_id = b.id AND m.`+sqlFailed+`)
		FROM sms_broadcasts b WHERE b.office = $1 ORDER BY b.day DESC, b.id DESC LIMIT $2`, office, reportCasts)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (BroadcastProgress, error) {
		var b BroadcastProgress
		err := row.Scan(&b.ID, &b.Day, &b.Kind, &b.Total, &b.Sent, &b.Failed)
		b.Queue = max(b.Total-b.Done(), 0)
		return b, err
	})
}

func (s *Service) recentInbound(ctx context.Context, office string) ([]InboundRow, error) {
	rows, err := s.Pool.Query(ctx, `SELECT received_at, from_phone, channel, command, body FROM sms_inbound
		WHERE office = $1 ORDER BY received_at DESC LIMIT $2`, office, reportInbound)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (InboundRow, error) {
		var r InboundRow
		err := row.Scan(&r.At, &r.Phone, &r.Channel, &r.Command, &r.Body)
		r.Phone = idn.MaskPhone(r.Phone)
		return r, err
	})
}

// recentOutbox lists the newest of the messages the day counts count (the
// office's, over the same days), so every row listed is in a count.
// Sign-in codes belong to no office: neither counted nor listed here.
func (s *Service) recentOutbox(ctx context.Context, office string, since time.Time) ([]OutboxRow, error) {
	rows, err := s.Pool.Query(ctx, `SELECT created_at, to_phone, channel, kind, status, body FROM sms_messages
		WHERE office = $1 AND created_at >= $3 ORDER BY created_at DESC, id DESC LIMIT $2`, office, reportOutbox, since)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (OutboxRow, error) {
		var r OutboxRow
		err := row.Scan(&r.At, &r.Phone, &r.Channel, &r.Kind, &r.Status, &r.Body)
		r.Phone = idn.MaskPhone(r.Phone)
		r.Body = MaskBody(r.Kind, r.Body)
		return r, err
	})
}

var codeDigits = regexp.MustCompile(`[0-9]{4,}`)

// MaskBody blanks what must not be read off a screen: every run of four or
// more digits of a sign-in code message (the code itself).
func MaskBody(kind, body string) string {
	if kind != "otp" {
		return body
	}
	return codeDigits.ReplaceAllStringFunc(body, func(d string) string { return strings.Repeat("•", len(d)) })
}

// pendingByDay counts broadcast recipients the drain has not handed to the
// outbox yet, by the office day their broadcast was made.
func (s *Service) pendingByDay(ctx context.Context, o Office, since time.Time) (map[time.Time]int, error) {
	rows, err := s.Pool.Query(ctx, `SELECT (b.created_at AT TIME ZONE $2)::date, count(*)
		FROM sms_broadcasts b JOIN sms_broadcast_recipients r ON r.broadcast_id = b.id AND r.phone > b.fed_after
		WHERE b.office = $1 AND b.created_at >= $3 GROUP BY 1`, o.Code, o.Location.String(), since)
	if err != nil {
		return nil, err
	}
	out := map[time.Time]int{}
	var day time.Time
	var n int
	_, err = pgx.ForEachRow(rows, []any{&day, &n}, func() error { out[day] = n; return nil })
	return out, err
}
