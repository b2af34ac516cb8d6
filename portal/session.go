package portal

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// The page session is the citizen JWT in an HttpOnly cookie; page forms carry
// a double-submit CSRF token (cookie + hidden field) on top of SameSite=Lax.
const (
	sessionCookie = "sppt_session"
	csrfCookie    = "sppt_csrf"
	csrfField     = "_csrf"
)

// sessionPhone returns the signed-in citizen's phone from the cookie.
func (s *Service) sessionPhone(c fiber.Ctx) (string, bool) {
	if p := auth.Get(c); p.Audience() == auth.Citizen && p.Subject != "" {
		return p.Subject, true
	}
	tok := c.Cookies(sessionCookie)
	if tok == "" || s.Tokens == nil {
		return "", false
	}
	claims, err := s.Tokens.Parse(tok, auth.Citizen)
	if err != nil {
		return "", false
	}
	auth.WithPrincipal(c, claims)
	return claims.Subject, true
}

// requirePage sends visitors who are not signed in to /login, back here after.
func (s *Service) requirePage(c fiber.Ctx) error {
	if _, ok := s.sessionPhone(c); ok {
		return c.Next()
	}
	next := c.OriginalURL()
	if c.Method() != fiber.MethodGet {
		next = "/bookings"
	}
	return c.Redirect().Status(http.StatusSeeOther).To("/login?next=" + url.QueryEscape(next))
}

func (s *Service) setSession(c fiber.Ctx, token string, exp time.Time) {
	// Max-Age, not Expires: the business clock may be shifted (SPPT_NOW) from the browser's.
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: int(exp.Sub(s.Clock.Now()).Seconds()), HTTPOnly: true,
		Secure: s.secure(c), SameSite: fiber.CookieSameSiteLaxMode})
}

func (s *Service) clearSession(c fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0),
		HTTPOnly: true, Secure: s.secure(c), SameSite: fiber.CookieSameSiteLaxMode})
}

// secure reports whether cookies must be Secure: the public address is https
// (PUBLIC_BASE_URL, right even behind a TLS-terminating proxy that talks
// plain HTTP to us) or this request itself came over https.
func (s *Service) secure(c fiber.Ctx) bool { return s.SecureCookies || c.Scheme() == "https" }

// csrfToken returns this browser's CSRF token, setting the cookie first time.
func (s *Service) csrfToken(c fiber.Ctx) string {
	if t := c.Cookies(csrfCookie); len(t) == 43 {
		return t
	}
	if t, ok := c.Locals(csrfCookie).(string); ok {
		return t
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	t := base64.RawURLEncoding.EncodeToString(b[:])
	c.Locals(csrfCookie, t)
	c.Cookie(&fiber.Cookie{Name: csrfCookie, Value: t, Path: "/", HTTPOnly: true, Secure: s.secure(c),
		SameSite: fiber.CookieSameSiteStrictMode, MaxAge: 7 * 24 * 3600})
	return t
}

// checkCSRF guards every state-changing page form.
func checkCSRF(c fiber.Ctx) error {
	if c.Method() != fiber.MethodPost {
		return c.Next()
	}
	if !validCSRF(c) {
		return httpx.New(http.StatusForbidden, "csrf_failed")
	}
	return c.Next()
}

// validCSRF reports whether the posted form carries this browser's token.
// The cookie is SameSite=Strict, so another site's form never sends it.
func validCSRF(c fiber.Ctx) bool {
	cookie, form := c.Cookies(csrfCookie), c.FormValue(csrfField)
	return cookie != "" && subtle.ConstantTimeCompare([]byte(cookie), []byte(form)) == 1
}

// safeNext keeps a post-login redirect on this site: a path, no host, no
// backslash or control character (browsers drop tabs and newlines, which
// would turn "/\t/evil" into "//evil").
func safeNext(next string) string {
	const fallback = "/bookings"
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/api/") ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return fallback
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" {
		return fallback
	}
	return next
}
