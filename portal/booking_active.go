package portal

import (
	"context"
	"errors"

	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/quota"
)

// activeStatuses hold the one booking a NIK may have (the partial unique
// index bookings_one_active_per_nik).
var activeStatuses = map[string]bool{quota.StatusEntered: true, quota.StatusBooked: true,
	quota.StatusCheckedIn: true, quota.StatusWaitlisted: true}

// withActiveBooking adds to a 409 active_booking_exists the code of that
// booking ("booking_code") when it is the caller's own, so the answer can
// link to it. A booking made from another phone stays unnamed: the NIK alone
// must not reveal someone's booking.
func (s *Service) withActiveBooking(ctx context.Context, err error, phone, nik string) error {
	e, ok := httpx.As(err)
	if !ok || e.Code != "active_booking_exists" || s.Quota == nil {
		return err
	}
	list, lerr := s.Quota.Bookings(ctx, phone)
	if lerr != nil {
		return errors.Join(err, lerr)
	}
	for _, b := range list {
		if b.NIK == nik && activeStatuses[b.Status] {
			return e.With("booking_code", b.Code)
		}
	}
	return e
}

// activeBookingCode is the booking_code a 409 carries ("" if none).
func activeBookingCode(err error) string {
	e, ok := httpx.As(err)
	if !ok {
		return ""
	}
	code, _ := e.Extra["booking_code"].(string)
	return code
}
