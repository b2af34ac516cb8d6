package httpx

import (
	"strings"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/helmet"
)

// CSP is every response's Content-Security-Policy: scripts, styles, images
// and connections from the site itself only (and data: images: the kiosk
// ticket's QR code is one, and an image runs no code) — no inline script or style
// (pages keep theirs in /static; frontend's test holds templates to it), no
// plugins, no <base> rewriting, forms post only here, and no site may frame
// a page (clickjacking of the officer's buttons).
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// HSTS is the Strict-Transport-Security value when the public address is
// https: a year, without includeSubDomains (other hosts of the operator's
// domain are not SPPT's to decide for).
const HSTS = "max-age=31536000"

// Security sets the security headers on every response (Fiber's helmet
// middleware, with SPPT's CSP) and HSTS when https (PUBLIC_BASE_URL is
// https: behind a TLS proxy the request itself arrives as plain http, so
// the request's scheme cannot tell). Responses other than static assets
// default to Cache-Control: no-store — officer and citizen pages show
// personal data and must not stay in a shared computer's cache; a handler
// that may be cached sets its own.
func Security(https bool) fiber.Handler {
	h := helmet.New(helmet.Config{
		ContentSecurityPolicy: CSP,
		XFrameOptions:         "DENY",
		// same-origin, not helmet's no-referrer: with no-referrer a browser
		// sends "Origin: null" on a form post, which the officer pages'
		// Origin check refuses; other sites still learn nothing (booking
		// codes are in paths).
		ReferrerPolicy:   "same-origin",
		PermissionPolicy: "camera=(), microphone=(), geolocation=(), payment=()",
	})
	return func(c fiber.Ctx) error {
		if https {
			c.Set(fiber.HeaderStrictTransportSecurity, HSTS)
		}
		if p := c.Path(); !strings.HasPrefix(p, "/static/") && p != "/favicon.ico" {
			c.Set(fiber.HeaderCacheControl, "no-store")
		}
		return h(c)
	}
}
