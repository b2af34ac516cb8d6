package sms

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/idn"
)

// Inbound is one message a citizen sent (SMS or WhatsApp).
type Inbound struct {
	Sid     string // Twilio's MessageSid: retries of one message share it
	From    string // E.164
	Channel string // "sms" or "whatsapp"
	Body    string
}

// jakarta reads dates before the office is known; KUOTA dates are re-read in the office's zone.
var jakarta = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return time.FixedZone("WIB", 7*3600)
	}
	return loc
}()

// Handle answers one inbound message exactly once per MessageSid: the reply
// and any change it makes (subscribe, stop, start) commit together with the
// sid, and a retried webhook gets the stored reply without changing anything.
func (s *Service) Handle(ctx context.Context, in Inbound) (string, error) {
	now := s.Clock.Now()
	cmd := ParseCommand(in.Body, now.In(jakarta))
	if cmd.Kind == KindJoin && cmd.Err == "" && !joinable(in.From) {
		cmd.Err = ErrJoinForeign
	}
	office, reply, err := s.answer(ctx, cmd, in, now)
	if err != nil {
		return "", err
	}
	if !changes(cmd) {
		return s.record(ctx, cmd, in, office, reply, now)
	}
	var stored string
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, insertInbound+` ON CONFLICT (message_sid) DO NOTHING RETURNING reply`,
			in.Sid, in.From, in.Channel, truncate(in.Body, 320), cmd.Kind, office, reply, now).Scan(&stored)
		if errors.Is(err, pgx.ErrNoRows) { // a retry: answer as the first time, change nothing
			return tx.QueryRow(ctx, `SELECT reply FROM sms_inbound WHERE message_sid = $1`, in.Sid).Scan(&stored)
		}
		if err != nil {
			return err
		}
		return s.apply(ctx, tx, cmd, in, now)
	})
	return stored, err
}

const insertInbound = `INSERT INTO sms_inbound (message_sid, from_phone, channel, body, command, office, reply, received_at)
	SELECT $1::text, $2::text, $3::text, $4::text, $5::text, NULLIF($6::text, ''), $7::text, $8::timestamptz`

// record stores a query that changes nothing and returns the reply to send:
// the stored one when Twilio retries. One statement, one round trip: the
// insert and, on a retry, the stored reply. Only the sid is at stake, so the
// statement's own transaction commits without waiting for the WAL flush
// (set_config(…, true) lasts until that commit): losing it in a crash only
// means a retried webhook is answered afresh.
func (s *Service) record(ctx context.Context, cmd Command, in Inbound, office, reply string, now time.Time) (string, error) {
	var stored *string
	err := s.Pool.QueryRow(ctx, `WITH async AS (SELECT set_config('synchronous_commit', 'off', true)),
		ins AS (`+insertInbound+` FROM async ON CONFLICT (message_sid) DO NOTHING RETURNING reply)
		SELECT coalesce((SELECT reply FROM ins), (SELECT reply FROM sms_inbound WHERE message_sid = $1))`,
		in.Sid, in.From, in.Channel, truncate(in.Body, 320), cmd.Kind, office, reply, now).Scan(&stored)
	if err != nil {
		return "", err
	}
	if stored == nil {
		// The first delivery of this sid is committing right now: its
		// reply is not visible to this statement; read it once it is.
		err = s.Pool.QueryRow(ctx, `SELECT reply FROM sms_inbound WHERE message_sid = $1`, in.Sid).Scan(&stored)
	}
	if err != nil || stored == nil {
		return "", fmt.Errorf("sms inbound %s: no stored reply: %v", in.Sid, err)
	}
	return *stored, nil
}

// joinable reports whether phone may subscribe to broadcasts: Indonesian
// mobiles only. Anyone may text SPPT, but a subscription makes SPPT send
// every morning at the deployment's cost, and abroad that is international
// SMS (toll fraud by subscribing premium numbers).
func joinable(phone string) bool {
	_, err := idn.NormalizeMobile(phone)
	return err == nil && strings.HasPrefix(phone, "+62")
}

// changes reports whether a command changes subscriptions.
func changes(c Command) bool {
	return c.Err == "" && (c.Kind == KindJoin || c.Kind == KindStop || c.Kind == KindStart)
}

// answer computes the reply (reads only) and the office it is about.
func (s *Service) answer(ctx context.Context, cmd Command, in Inbound, now time.Time) (string, string, error) {
	lang := cmd.Lang
	if cmd.Err != "" {
		if cmd.Kind == KindHelp {
			return "", s.text(lang, "sms.reply.help"), nil
		}
		if cmd.Err == ErrJoinForeign {
			return "", s.text(lang, "sms.reply.join_foreign"), nil
		}
		if cmd.Err == ErrOfficeInvalid {
			return "", s.text(lang, "sms.reply.office_unknown", "code", "?", "example", usageExample(cmd.Kind)), nil
		}
		return "", s.text(lang, "sms.usage."+cmd.Kind), nil
	}
	switch cmd.Kind {
	case KindQuota, KindQueue, KindJoin:
		o, ok, err := s.Offices.Office(ctx, cmd.Office)
		if err != nil {
			return "", "", err
		}
		if !ok {
			return "", s.text(lang, "sms.reply.office_unknown", "code", cmd.Office, "example", usageExample(cmd.Kind)), nil
		}
		switch cmd.Kind {
		case KindQuota:
			r, err := s.quotaReply(ctx, cmd, in, o, now)
			return o.Code, r, err
		case KindQueue:
			r, err := s.queueReply(ctx, lang, o, cmd.Ticket)
			return o.Code, r, err
		}
		return o.Code, s.text(lang, "sms.reply.join", "office", OfficeLabel(o.Name)), nil
	case KindStatus:
		stage, ok, err := s.Status.Stage(ctx, cmd.AppNo, in.From)
		if err != nil {
			return "", "", err
		}
		if !ok {
			return "", s.text(lang, "sms.reply.status_unknown", "appno", cmd.AppNo), nil
		}
		return "", s.text(lang, "sms.reply.status", "appno", cmd.AppNo, "stage", s.text(lang, "sms.stage."+stage)), nil
	case KindStop:
		return "", s.text(lang, "sms.reply.stop"), nil
	case KindStart:
		return "", s.text(lang, "sms.reply.start"), nil
	}
	return "", s.text(lang, "sms.reply.help"), nil
}

func usageExample(kind string) string {
	switch kind {
	case KindQueue:
		return "ANTRIAN JKS"
	case KindJoin:
		return "DAFTAR JKS"
	}
	return "KUOTA JKS"
}

func (s *Service) quotaReply(ctx context.Context, cmd Command, in Inbound, o Office, now time.Time) (string, error) {
	day := officeDay(o, now)
	if !cmd.Date.IsZero() { // re-read the date against the office's own today
		c := ParseCommand(in.Body, now.In(o.Location))
		day = time.Date(c.Date.Year(), c.Date.Month(), c.Date.Day(), 0, 0, 0, 0, time.UTC)
	}
	q, err := s.quotas.get(ctx, s.Quota, o.Code, day)
	if err != nil {
		return "", err
	}
	return s.quotaText(cmd.Lang, "sms.reply.quota", o, day, q), nil
}

// quotaText is a day's quota in one segment, for replies and broadcasts.
func (s *Service) quotaText(lang, key string, o Office, day time.Time, q DayQuota) string {
	label := OfficeLabel(o.Name)
	switch {
	case !q.Known:
		return s.text(lang, "sms.reply.quota_none", "office", label, "date", dateText(day))
	case !q.Open:
		return s.text(lang, "sms.reply.quota_closed", "office", label, "date", dateText(day))
	}
	return s.text(lang, key, "office", label, "date", dateText(day),
		"online_left", q.OnlineRemaining, "online_cap", q.OnlineCapacity,
		"walkin_left", q.WalkinRemaining, "walkin_cap", q.WalkinCapacity)
}

// maxServing is how many tickets ANTRIAN lists (one segment).
const maxServing = 6

func (s *Service) queueReply(ctx context.Context, lang string, o Office, ticket string) (string, error) {
	label := OfficeLabel(o.Name)
	if ticket != "" {
		return s.ticketReply(ctx, lang, o, label, ticket)
	}
	q, err := s.Queue.Serving(ctx, o.Code)
	if err != nil {
		return "", err
	}
	wait := ""
	if q.NewWaitMin >= 0 {
		wait = " " + s.text(lang, "sms.reply.queue_new_wait", "minutes", q.NewWaitMin)
	}
	if len(q.Serving) == 0 {
		return s.text(lang, "sms.reply.queue_none", "office", label, "waiting", q.Waiting) + wait, nil
	}
	tickets := q.Serving
	if len(tickets) > maxServing {
		tickets = tickets[:maxServing]
	}
	for i, t := range tickets {
		tickets[i] = truncate(t, 5)
	}
	return s.text(lang, "sms.reply.queue", "office", label, "tickets", strings.Join(tickets, ", "), "waiting", q.Waiting) + wait, nil
}

// ticketReply is ANTRIAN <office> <number>: when that number is expected.
func (s *Service) ticketReply(ctx context.Context, lang string, o Office, label, ticket string) (string, error) {
	w, ok, err := s.Queue.Wait(ctx, o.Code, ticket)
	if err != nil || !ok {
		return s.text(lang, "sms.reply.queue_ticket_none", "office", label, "ticket", ticket), err
	}
	at := w.CallAt
	if o.Location != nil {
		at = at.In(o.Location)
	}
	return s.text(lang, "sms.reply.queue_ticket", "office", label, "ticket", ticket, "ahead", w.Ahead,
		"minutes", w.Minutes, "time", at.Format("15:04")), nil
}

// apply makes a subscription change inside the inbound transaction, with its audit entry.
func (s *Service) apply(ctx context.Context, tx pgx.Tx, cmd Command, in Inbound, now time.Time) error {
	var err error
	office, action := audit.Network, ""
	switch cmd.Kind {
	case KindJoin:
		office, action = cmd.Office, "sms.subscribe"
		_, err = tx.Exec(ctx, `INSERT INTO sms_subscriptions (office, phone, channel, lang, created_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (office, phone) DO UPDATE SET channel = excluded.channel, lang = excluded.lang`,
			cmd.Office, in.From, in.Channel, cmd.Lang, now)
		if err == nil { // joining is consent again
			_, err = tx.Exec(ctx, `DELETE FROM sms_optouts WHERE phone = $1`, in.From)
		}
	case KindStop:
		action = "sms.stop"
		_, err = tx.Exec(ctx, `INSERT INTO sms_optouts (phone, reason, stopped_at) VALUES ($1, 'keyword', $2)
			ON CONFLICT (phone) DO UPDATE SET reason = 'keyword'`, in.From, now)
	case KindStart:
		action = "sms.start"
		_, err = tx.Exec(ctx, `DELETE FROM sms_optouts WHERE phone = $1`, in.From)
	}
	if err != nil {
		return fmt.Errorf("sms %s: %w", action, err)
	}
	return audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: "citizen:" + idn.MaskPhone(in.From),
		Action: action, Subject: "sms_inbound:" + in.Sid, Data: map[string]string{"channel": in.Channel, "office": cmd.Office}})
}
