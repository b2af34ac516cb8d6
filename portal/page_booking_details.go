package portal

import (
	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/quota"
)

// bookingDetails fills what the booking page shows beyond the booking: the
// ticket once checked in, or what to bring and pay for a visit still to
// come, and the notice after a change (a move says from which day).
func (s *Service) bookingDetails(c fiber.Ctx, v *bookingView, b quota.Booking) error {
	ctx := c.Context()
	ci, err := s.checkIn(ctx, b)
	if err != nil {
		return err
	}
	v.CheckIn = ci
	switch b.Status {
	case quota.StatusBooked, quota.StatusEntered, quota.StatusWaitlisted:
		o, err := s.office(ctx, b.Office)
		if err != nil {
			return err
		}
		p, err := s.prepare(ctx, v.Lang, b, o)
		if err != nil {
			return err
		}
		v.Prepare = &p
	}
	switch done := c.Query("done"); done {
	case "rescheduled":
		v.Notice = s.cat().T(v.Lang, "portal.done.rescheduled")
		if from, err := parseDate(c.Query("from")); err == nil && !from.Equal(b.Date) {
			v.Notice = s.cat().T(v.Lang, "portal.done.rescheduled_from", "from", s.longDate(v.Lang, from), "to", s.longDate(v.Lang, b.Date))
		}
	case "accepted":
		v.Notice = s.cat().T(v.Lang, "portal.done."+done)
	}
	return nil
}
