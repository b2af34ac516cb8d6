package portal

import (
	"github.com/gofiber/fiber/v3"
)

// pageRoutes registers the citizen pages. Every form is a plain HTML form
// (works without JavaScript); every POST carries the CSRF token.
func (s *Service) pageRoutes(r fiber.Router) {
	r.Get("/offices/:code", s.officePage)
	r.Get("/login", s.loginPage)
	r.Post("/login", checkCSRF, s.loginSend)
	r.Post("/login/verify", checkCSRF, s.loginVerify)
	// Signing out takes the form and its token too: GET only asks.
	r.Get("/logout", s.logoutPage)
	r.Post("/logout", s.logout)
	r.Get("/status", s.statusPage)
	r.Post("/status", checkCSRF, s.statusLookup)

	signedIn := s.requirePage
	r.Get("/book", signedIn, s.bookPage)
	r.Post("/book", signedIn, checkCSRF, s.bookSubmit)
	r.Get("/bookings", signedIn, s.bookingsPage)
	r.Get("/bookings/:code", signedIn, s.bookingPage)
	r.Get("/bookings/:code/qr.png", signedIn, s.bookingQR)
	r.Get("/bookings/:code/calendar.ics", signedIn, s.bookingICSPage)
	r.Get("/bookings/:code/cancel", signedIn, s.cancelPage)
	r.Post("/bookings/:code/cancel", signedIn, checkCSRF, s.cancelSubmit)
	r.Get("/bookings/:code/reschedule", signedIn, s.reschedulePage)
	r.Post("/bookings/:code/reschedule", signedIn, checkCSRF, s.rescheduleSubmit)
	r.Post("/bookings/:code/accept", signedIn, checkCSRF, s.acceptSubmit)
}
