package portal

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/sppt/sppt/quota"
)

// CheckIn is what a booking became at the kiosk: one queue number and the
// application it opened.
type CheckIn struct {
	Ticket        string
	ApplicationNo string
}

// CheckIns finds a checked-in booking's ticket and application; ErrNotFound
// when it has none. cmd/sppt wires the queue's.
type CheckIns interface {
	OfBooking(ctx context.Context, bookingID int64) (CheckIn, error)
}

// Fees reads the fee schedule in force on a day: amount in IDR per fee code.
// cmd/sppt wires the owner of the schedule.
type Fees interface {
	FeesOn(ctx context.Context, day time.Time) (map[string]int64, error)
}

// serviceDocs lists, per service, the documents to bring (locale
// "portal.doc.<name>"): the originals the desk checks.
var serviceDocs = map[string][]string{
	"new":         {"ektp", "kk", "birth"},
	"renewal":     {"ektp", "old_passport"},
	"replacement": {"ektp", "kk", "birth", "police_report", "damaged_passport"},
	"data_change": {"ektp", "old_passport", "change_proof"},
	"priority":    {"ektp", "kk", "birth", "old_passport_if_any", "child_parents"},
	"pickup":      {"receipt", "ektp"},
}

// serviceFees lists, per service, the fee lines worth showing (fee codes of
// the schedule, locale "portal.fee.<code>"). Pickup costs nothing more.
var serviceFees = map[string][]string{
	"new":         {"ordinary_5y", "ordinary_10y", "electronic_5y", "electronic_10y"},
	"renewal":     {"ordinary_5y", "ordinary_10y", "electronic_5y", "electronic_10y"},
	"replacement": {"ordinary_5y", "ordinary_10y", "electronic_5y", "electronic_10y", "lost", "damaged"},
	"data_change": {"ordinary_5y", "ordinary_10y", "electronic_5y", "electronic_10y"},
	"priority":    {"ordinary_5y", "ordinary_10y", "electronic_5y", "electronic_10y"},
}

type feeLine struct {
	Label, Amount string
}

// prepare is what to bring and what it will cost, for a booking still to
// come: the office's hours, the document checklist and the fees in force on
// the booking's day.
type prepare struct {
	Hours string
	Docs  []string
	Fees  []feeLine
}

func (s *Service) prepare(ctx context.Context, lang string, b quota.Booking, o quota.Office) (prepare, error) {
	t := func(key string, p ...any) string { return s.cat().T(lang, key, p...) }
	p := prepare{Hours: t("portal.booking.hours_value", "opens", o.Opens, "closes", o.Closes, "zone", zoneAbbrev(b.Date.In(o.Location())))}
	for _, d := range serviceDocs[b.Service] {
		p.Docs = append(p.Docs, t("portal.doc."+d))
	}
	if s.Fees == nil || len(serviceFees[b.Service]) == 0 {
		return p, nil
	}
	fees, err := s.Fees.FeesOn(ctx, b.Date)
	if err != nil {
		return p, err
	}
	for _, code := range serviceFees[b.Service] {
		if amount, ok := fees[code]; ok {
			p.Fees = append(p.Fees, feeLine{Label: t("portal.fee." + code), Amount: formatIDR(lang, amount)})
		}
	}
	return p, nil
}

// checkIn is the ticket of a checked-in booking (nil when none is known).
func (s *Service) checkIn(ctx context.Context, b quota.Booking) (*CheckIn, error) {
	if s.CheckIns == nil || b.Status != quota.StatusCheckedIn {
		return nil, nil
	}
	ci, err := s.CheckIns.OfBooking(ctx, b.ID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &ci, nil
}

// formatIDR is "Rp350.000" (Indonesian) or "IDR 350,000" (English).
func formatIDR(lang string, n int64) string {
	sep, prefix := ".", "Rp"
	if lang == "en" {
		sep, prefix = ",", "IDR "
	}
	digits := strconv.FormatInt(n, 10)
	out := ""
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out += sep
		}
		out += string(d)
	}
	return prefix + out
}
