package sms

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Notice is a citizen-facing event from another domain (sign-in code,
// booking confirmed, draw entered, won or lost, waitlist offer, passport
// ready). The sender says what happened; this package owns the words.
type Notice struct {
	Kind   string            // one of NoticeKinds
	Phone  string            // E.164
	Office string            // office code; empty for a sign-in code
	Key    string            // idempotency key: one message per event
	Params map[string]string // "code", "date", "from", "office_name", "expires", "position", "appno", …
}

// Notice kinds this package words itself; the others are quota's
// (quota.NoticeBooked, …), spelled the same.
const (
	NoticeOTP   = "otp" // a sign-in code; the outbox keeps it short-lived and blanks it on screens
	NoticeReady = "ready_for_pickup"
	// NoticeNear is the queue's "your turn is near" (queue.NoticeNear).
	NoticeNear = "queue_near"
)

// NoticeKinds are the notices with a template (sms.notice.<kind>), in id and en.
var NoticeKinds = []string{"booking_confirmed", "booking_cancelled", "booking_rescheduled", "draw_entered", "draw_won",
	"draw_lost", "waitlist_offer", "waitlist_offer_expired", NoticeReady, NoticeOTP, NoticeNear}

// Notify enqueues the notice's message in the caller's transaction. Notices
// (sign-in codes included) are about the phone's own booking or
// application, so they go even when the phone stopped broadcasts (BERHENTI).
// A kind without a template is logged and skipped: a missing text must never
// roll back a booking.
func (s *Service) Notify(ctx context.Context, tx pgx.Tx, n Notice) error {
	m, ok, err := s.noticeMessage(ctx, n, nil)
	if err != nil || !ok {
		return err
	}
	_, err = s.Outbox.Enqueue(ctx, tx, m)
	return err
}

// NotifyMany is Notify for a group commit: every message with one INSERT and
// their send jobs with one COPY (Outbox.EnqueueMany). Keys already used are
// skipped, as with Notify.
func (s *Service) NotifyMany(ctx context.Context, tx pgx.Tx, ns []Notice) error {
	offices := map[string]Office{}
	ms := make([]Message, 0, len(ns))
	for _, n := range ns {
		m, ok, err := s.noticeMessage(ctx, n, offices)
		if err != nil {
			return err
		}
		if ok {
			ms = append(ms, m)
		}
	}
	return s.Outbox.EnqueueMany(ctx, tx, ms)
}

// SendOTP enqueues a sign-in code valid for ttl (portal.OTPSender).
func (s *Service) SendOTP(ctx context.Context, tx pgx.Tx, phone, code, key string, ttl time.Duration) error {
	return s.Notify(ctx, tx, Notice{Kind: NoticeOTP, Phone: phone, Key: key,
		Params: map[string]string{"code": code, "minutes": strconv.Itoa(int(ttl.Round(time.Minute) / time.Minute))}})
}

// ReadyForPickup tells the applicant the passport can be collected; the
// pipeline calls it in the transaction that moves the application to "ready".
func (s *Service) ReadyForPickup(ctx context.Context, tx pgx.Tx, applicationNo, phone, office string) error {
	return s.Notify(ctx, tx, Notice{Kind: NoticeReady, Phone: phone, Office: office, Key: "ready:" + applicationNo,
		Params: map[string]string{"appno": applicationNo}})
}

// noticeMessage words n in Indonesian; false when its kind has no template.
// offices, when not nil, remembers offices already read.
func (s *Service) noticeMessage(ctx context.Context, n Notice, offices map[string]Office) (Message, bool, error) {
	o, err := s.noticeOffice(ctx, n.Office, offices)
	if err != nil {
		return Message{}, false, err
	}
	body, ok := s.NoticeText("id", n, o)
	if !ok {
		s.Log.Warn("sms: no template for notice; not sent", "kind", n.Kind)
		return Message{}, false, nil
	}
	return Message{To: n.Phone, Kind: n.Kind, Office: n.Office, Key: n.Key, Body: body}, true, nil
}

func (s *Service) noticeOffice(ctx context.Context, code string, offices map[string]Office) (Office, error) {
	if code == "" {
		return Office{}, nil
	}
	if o, ok := offices[code]; ok {
		return o, nil
	}
	o, _, err := s.Offices.Office(ctx, code)
	if err == nil && offices != nil {
		offices[code] = o
	}
	return o, err
}

// NoticeText is n's message in lang for office o (o may be zero: the office
// is then named by the notice's office_name, else its code). Dates are
// written DD-MM-YYYY, an RFC 3339 "expires" in office time, every value
// bounded so the text stays one GSM-7 segment. ok is false when n's kind
// has no template.
func (s *Service) NoticeText(lang string, n Notice, o Office) (text string, ok bool) {
	key := "sms.notice." + n.Kind
	if !s.Catalog.Has(key) {
		return "", false
	}
	office := n.Office
	if name := n.Params["office_name"]; name != "" {
		office = OfficeLabel(name)
	} else if o.Name != "" {
		office = OfficeLabel(o.Name)
	}
	params := []any{"office", office}
	for k, v := range n.Params {
		switch k {
		case "office", "office_name":
			continue // named once, above
		case "date", "from":
			v = noticeDate(v)
		case "expires":
			v = noticeTime(v, o.Location)
		}
		params = append(params, k, truncate(v, 32))
	}
	return s.text(lang, key, params...), true
}

// noticeDate writes YYYY-MM-DD as DD-MM-YYYY; anything else passes through.
func noticeDate(v string) string {
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return dateText(t)
	}
	return v
}

// noticeTime writes an RFC 3339 instant as office time, "15:04 02-01";
// anything else (quota's own "02-01-2006 15:04 WITA") passes through.
func noticeTime(v string, loc *time.Location) string {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return v
	}
	if loc == nil {
		loc = jakarta
	}
	return t.In(loc).Format("15:04 02-01")
}
