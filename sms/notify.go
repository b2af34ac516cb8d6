package sms

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// Notice is a citizen-facing event from another domain (booking confirmed,
// draw won or lost, waitlist offer, passport ready). The sender says what
// happened; this package owns the words.
type Notice struct {
	Kind   string // "booking_confirmed", …, NoticeReady
	Phone  string // E.164
	Office string
	Key    string            // idempotency key: one message per event
	Params map[string]string // "code", "date", "office_name", "expires", "appno", …
}

// NoticeReady is the "passport ready for pickup" notice.
const NoticeReady = "ready_for_pickup"

// NoticeKinds are the notices with a template (sms.notice.<kind>).
var NoticeKinds = []string{"booking_confirmed", "booking_cancelled", "booking_rescheduled", "draw_won", "draw_lost",
	"waitlist_offer", "waitlist_offer_expired", NoticeReady}

// Notify enqueues the notice's message in the caller's transaction. A
// notice about the phone's own booking or application goes even when the
// phone stopped broadcasts. A kind without a template is logged and
// skipped: a missing text must never roll back a booking.
func (s *Service) Notify(ctx context.Context, tx pgx.Tx, n Notice) error {
	key := "sms.notice." + n.Kind
	if !s.Catalog.Has(key) {
		s.Log.Warn("sms: no template for notice; not sent", "kind", n.Kind)
		return nil
	}
	o, _, err := s.Offices.Office(ctx, n.Office)
	if err != nil {
		return err
	}
	vals := map[string]string{"office": n.Office}
	if o.Name != "" {
		vals["office"] = OfficeLabel(o.Name)
	}
	for k, v := range n.Params {
		switch k {
		case "date":
			v = noticeDate(v)
		case "expires":
			v = noticeTime(v, o.Location)
		case "office_name":
			vals["office"] = OfficeLabel(v)
			continue
		}
		vals[k] = truncate(v, 32)
	}
	params := make([]any, 0, 2*len(vals))
	for k, v := range vals {
		params = append(params, k, v)
	}
	_, err = s.Outbox.Enqueue(ctx, tx, Message{To: n.Phone, Kind: n.Kind, Office: n.Office, Key: n.Key,
		Body: s.text("id", key, params...)})
	return err
}

// ReadyForPickup tells the applicant the passport can be collected; the
// pipeline calls it in the transaction that moves the application to "ready".
func (s *Service) ReadyForPickup(ctx context.Context, tx pgx.Tx, applicationNo, phone, office string) error {
	return s.Notify(ctx, tx, Notice{Kind: NoticeReady, Phone: phone, Office: office, Key: "ready:" + applicationNo,
		Params: map[string]string{"appno": applicationNo}})
}

// noticeDate writes YYYY-MM-DD as DD-MM-YYYY; anything else passes through.
func noticeDate(v string) string {
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return dateText(t)
	}
	return v
}

// noticeTime writes an RFC 3339 instant as office time, "15:04 02-01".
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
