package frontend

import "github.com/gofiber/fiber/v3"

type csrfKey struct{}

// SetCSRF hands this request's CSRF token to Render, for the forms the
// layout itself holds (the citizen's sign-out button), so no page's view has
// to carry it for the layout.
func SetCSRF(c fiber.Ctx, token string) { c.Locals(csrfKey{}, token) }

// csrfOf is the request's CSRF token; empty where none was set.
func csrfOf(c fiber.Ctx) string {
	t, _ := c.Locals(csrfKey{}).(string)
	return t
}
