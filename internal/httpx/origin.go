package httpx

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v3"
)

// SameOriginForms refuses a state-changing request to a page (outside
// /api/) whose Origin names another site, with 403 csrf_failed. Browsers
// send Origin with every cross-site POST. The citizen pages' double-submit
// token and the officer pages' check hold on their own; this covers the
// forms that carry no token (officer sign-in, device setup, the kiosk's
// and TV's forms behind their SameSite=Strict cookies, which a sibling
// subdomain still counts as same-site) and stops a foreign page that has
// somehow learnt a token. No Origin passes: older browsers and non-browser
// clients send none. The API is for clients with bearer tokens and signed
// webhooks, which no browser form can send, so it is not checked here.
func SameOriginForms() fiber.Handler {
	return func(c fiber.Ctx) error {
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
			return c.Next()
		}
		if strings.HasPrefix(c.Path(), "/api/") || SameOrigin(c) {
			return c.Next()
		}
		return New(http.StatusForbidden, "csrf_failed")
	}
}

// SameOrigin reports whether the request's Origin header, if it has one,
// names this site (a null or unreadable Origin does not).
func SameOrigin(c fiber.Ctx) bool {
	o := c.Get(fiber.HeaderOrigin)
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == c.Host()
}
