package portal

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/quota"
)

type rescheduleBody struct {
	Date string `json:"date"`
}

func (s *Service) bookingRoutes(api httpx.API) {
	citizen := auth.Require(s.Tokens, auth.Citizen)
	one := map[int]any{200: bookingJSON{}, 401: nil, 404: nil}
	api.Post("/bookings", httpx.Op{Summary: "Book a seat (a 409 active_booking_exists names the caller's own booking of that NIK in error.booking_code)", Tag: "citizen", Auth: auth.Citizen, Body: bookingBody{},
		Responses: map[int]any{201: bookingJSON{}, 401: nil, 409: nil, 422: nil, 429: nil, 503: nil}}, citizen, s.postBooking)
	api.Post("/waitlist", httpx.Op{Summary: "Join the waitlist of a full day", Tag: "citizen", Auth: auth.Citizen, Body: bookingBody{},
		Responses: map[int]any{201: bookingJSON{}, 401: nil, 409: nil, 422: nil, 429: nil, 503: nil}}, citizen, s.postWaitlist)
	api.Get("/bookings", httpx.Op{Summary: "My bookings", Tag: "citizen", Auth: auth.Citizen,
		Responses: map[int]any{200: bookingsResponse{}, 401: nil}}, citizen, s.getBookings)
	api.Get("/bookings/:code", httpx.Op{Summary: "One of my bookings", Tag: "citizen", Auth: auth.Citizen, Responses: one},
		citizen, s.getBooking)
	api.Delete("/bookings/:code", httpx.Op{Summary: "Cancel a booking (the seat returns to the quota)", Tag: "citizen", Auth: auth.Citizen,
		Responses: map[int]any{200: bookingJSON{}, 401: nil, 404: nil, 409: nil}}, citizen, s.deleteBooking)
	api.Post("/bookings/:code/reschedule", httpx.Op{Summary: "Move a booking to another date", Tag: "citizen", Auth: auth.Citizen,
		Body: rescheduleBody{}, Responses: map[int]any{200: bookingJSON{}, 401: nil, 404: nil, 409: nil, 422: nil}}, citizen, s.postReschedule)
	api.Post("/bookings/:code/accept", httpx.Op{Summary: "Accept a waitlist offer", Tag: "citizen", Auth: auth.Citizen,
		Responses: map[int]any{200: bookingJSON{}, 401: nil, 404: nil, 409: nil}}, citizen, s.postAccept)
	api.Get("/bookings/:code/calendar.ics", httpx.Op{Summary: "A booking as an iCalendar event", Tag: "citizen", Auth: auth.Citizen,
		Produces: "text/calendar", Responses: map[int]any{200: "", 401: nil, 404: nil}}, citizen, s.getICS)
}

// phoneOf is the signed-in citizen's verified phone (the token's subject).
func phoneOf(c fiber.Ctx) string { return auth.Get(c).Subject }

func (s *Service) postBooking(c fiber.Ctx) error  { return s.create(c, false) }
func (s *Service) postWaitlist(c fiber.Ctx) error { return s.create(c, true) }

func (s *Service) create(c fiber.Ctx, waitlist bool) error {
	var body bookingBody
	if err := httpx.BindJSON(c, &body); err != nil {
		return err
	}
	b, err := s.createBooking(c.Context(), body, phoneOf(c), httpx.ClientKey(c), waitlist)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(toBookingJSON(b))
}

// createBooking validates and books (or joins the waitlist); shared with the page.
func (s *Service) createBooking(ctx context.Context, body bookingBody, phone, ip string, waitlist bool) (quota.Booking, error) {
	q, err := s.quotaService()
	if err != nil {
		return quota.Booking{}, err
	}
	req, err := s.bookingRequest(ctx, body, phone, ip)
	if err != nil {
		return quota.Booking{}, err
	}
	var b quota.Booking
	if waitlist {
		b, err = q.JoinWaitlist(ctx, req)
	} else {
		b, err = q.Book(ctx, req)
	}
	if err != nil {
		return b, s.withActiveBooking(ctx, domainError(err, s.zone(ctx, req.Office)), phone, req.NIK)
	}
	if b.Status == quota.StatusWaitlisted && b.WaitlistPos == 0 {
		// The group commit answers before positions are known; read them back.
		if full, err := q.Booking(ctx, phone, b.Code); err == nil {
			b = full
		}
	}
	return b, nil
}

func (s *Service) getBookings(c fiber.Ctx) error {
	q, err := s.quotaService()
	if err != nil {
		return err
	}
	list, err := q.Bookings(c.Context(), phoneOf(c))
	if err != nil {
		return err
	}
	out := bookingsResponse{Bookings: make([]bookingJSON, len(list))}
	for i, b := range list {
		out.Bookings[i] = toBookingJSON(b)
	}
	return c.JSON(out)
}

func (s *Service) getBooking(c fiber.Ctx) error {
	b, err := s.ownBooking(c.Context(), phoneOf(c), c.Params("code"))
	if err != nil {
		return err
	}
	return c.JSON(toBookingJSON(b))
}

func (s *Service) deleteBooking(c fiber.Ctx) error {
	return s.change(c, func(q Quota, phone, code string) (quota.Booking, error) { return q.Cancel(c.Context(), phone, code) })
}

func (s *Service) postAccept(c fiber.Ctx) error {
	return s.change(c, func(q Quota, phone, code string) (quota.Booking, error) {
		return q.AcceptOffer(c.Context(), phone, code)
	})
}

func (s *Service) postReschedule(c fiber.Ctx) error {
	var body rescheduleBody
	if err := httpx.BindJSON(c, &body); err != nil {
		return err
	}
	date, err := parseDate(body.Date)
	if err != nil {
		return httpx.Invalid().Field("date", dateKey(body.Date))
	}
	return s.change(c, func(q Quota, phone, code string) (quota.Booking, error) {
		return q.Reschedule(c.Context(), phone, code, date)
	})
}

// change runs one state change on the caller's booking and answers with it.
func (s *Service) change(c fiber.Ctx, do func(q Quota, phone, code string) (quota.Booking, error)) error {
	q, err := s.quotaService()
	if err != nil {
		return err
	}
	code, ok := bookingCode(c.Params("code"))
	if !ok {
		return httpx.ErrNotFound
	}
	b, err := do(q, phoneOf(c), code)
	if err != nil {
		return domainError(err, s.zoneOfBooking(c.Context(), phoneOf(c), code))
	}
	return c.JSON(toBookingJSON(b))
}

// ownBooking returns the caller's booking; anyone else's is 404.
func (s *Service) ownBooking(ctx context.Context, phone, raw string) (quota.Booking, error) {
	q, err := s.quotaService()
	if err != nil {
		return quota.Booking{}, err
	}
	code, ok := bookingCode(raw)
	if !ok {
		return quota.Booking{}, httpx.ErrNotFound
	}
	b, err := q.Booking(ctx, phone, code)
	return b, domainError(err, nil)
}

// bookingCode normalises a code as typed and checks its shape.
func bookingCode(raw string) (string, bool) {
	code := strings.ToUpper(strings.TrimSpace(raw))
	if len(code) < 6 || len(code) > 12 {
		return "", false
	}
	for _, r := range code {
		if (r < '0' || r > '9') && (r < 'A' || r > 'Z') {
			return "", false
		}
	}
	return code, true
}

// zone is an office's time zone (UTC when unknown: only for messages).
func (s *Service) zone(ctx context.Context, office string) *time.Location {
	loc, err := s.officeZone(ctx, office)
	if err != nil {
		return time.UTC
	}
	return loc
}

func (s *Service) zoneOfBooking(ctx context.Context, phone, code string) *time.Location {
	if s.Quota == nil {
		return time.UTC
	}
	b, err := s.Quota.Booking(ctx, phone, code)
	if err != nil {
		return time.UTC
	}
	return s.zone(ctx, b.Office)
}
