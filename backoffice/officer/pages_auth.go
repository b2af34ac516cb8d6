package officer

// Sign-in for backoffice pages: the login form checks the password (with
// the same throttle as the API) and keeps an officer token in an HttpOnly,
// SameSite=Strict cookie. Every form also carries a token bound to that
// cookie and the Origin is checked (csrf.go), so a request from another site
// changes nothing even where a browser sends the cookie anyway.

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
)

// OfficerCookie holds a signed-in officer's token for pages.
const OfficerCookie = "sppt_officer"

// PageAuth signs officers in and out of backoffice pages.
type PageAuth struct {
	Pool     *pgxpool.Pool
	Tokens   *auth.Tokens
	Throttle auth.Throttle
	Clock    clock.Clock
	Pages    *frontend.Renderer
	// Secure marks the cookie Secure (PUBLIC_BASE_URL is https).
	Secure bool
	// Menu is the officers' menu, in order (backoffice.Menu builds it).
	Menu []frontend.OfficerPage
}

// PageRoutes registers /backoffice/login and /backoffice/logout, and sends
// /backoffice to the first page of the officer's menu (or to the login).
func (p *PageAuth) PageRoutes(r fiber.Router) {
	r.Get("/backoffice", p.home)
	r.Get("/backoffice/login", p.loginPage)
	r.Post("/backoffice/login", p.loginSubmit)
	r.Post("/backoffice/logout", p.logout)
}

type loginForm struct {
	Username, Next, Error string
	Throttled             bool
}

// safeNext keeps redirects on this site's backoffice; "" (no page asked
// for) stays "": after sign-in the officer goes to their menu's first page.
func safeNext(next string) string {
	if next == "" {
		return ""
	}
	if !strings.HasPrefix(next, "/backoffice/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/backoffice/queue"
	}
	return next
}

func (p *PageAuth) home(c fiber.Ctx) error {
	claims, err := p.Tokens.Parse(c.Cookies(OfficerCookie), auth.Officer)
	if err != nil {
		return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice/login")
	}
	if claims.MustChange {
		return c.Redirect().Status(fiber.StatusSeeOther).To(PasswordPath)
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To(homePage(p.Menu, claims.Roles))
}

// setNav hands the officer layout its menu and the forms' CSRF token.
func setNav(c fiber.Ctx, nav frontend.OfficerNav, csrf string) {
	frontend.SetOfficerNav(c, nav)
	frontend.SetCSRF(c, csrf)
}

func (p *PageAuth) loginPage(c fiber.Ctx) error {
	return p.Pages.Render(c, fiber.StatusOK, "queue_login", "queue.login.title", loginForm{Next: safeNext(c.Query("next"))}, false)
}

func (p *PageAuth) loginSubmit(c fiber.Ctx) error {
	f := loginForm{Username: strings.ToLower(strings.TrimSpace(c.FormValue("username"))), Next: safeNext(c.FormValue("next"))}
	password := c.FormValue("password")
	lang := httpx.Lang(c)
	if f.Username == "" || password == "" {
		f.Error = p.Pages.Catalog().T(lang, "queue.login.missing")
		return p.Pages.Render(c, fiber.StatusUnprocessableEntity, "queue_login", "queue.login.title", f, false)
	}
	now := p.Clock.Now()
	res, _, err := signIn(c.Context(), p.Pool, p.Tokens, p.Throttle, f.Username, password, httpx.ClientKey(c), now)
	switch {
	case errors.Is(err, ErrThrottled):
		f.Error = p.Pages.Catalog().T(lang, "err.too_many_requests")
		return p.Pages.Render(c, fiber.StatusTooManyRequests, "queue_login", "queue.login.title", f, false)
	case errors.Is(err, ErrBadCredentials):
		f.Error = p.Pages.Catalog().T(lang, "err.invalid_credentials")
		return p.Pages.Render(c, fiber.StatusUnauthorized, "queue_login", "queue.login.title", f, false)
	case err != nil:
		return err
	}
	if f.Next == "" || res.Officer.MustChange {
		f.Next = homePage(p.Menu, res.Officer.Roles)
	}
	p.setCookie(c, res.Token, res.ExpiresAt.Sub(now))
	if res.Officer.MustChange {
		// a temporary password: nothing opens before the officer chooses their own
		return c.Redirect().Status(fiber.StatusSeeOther).To(PasswordPath)
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To(f.Next)
}

func (p *PageAuth) logout(c fiber.Ctx) error {
	if cookie := c.Cookies(OfficerCookie); cookie != "" {
		if err := checkCSRF(c, cookie); err != nil {
			return err
		}
		// the token itself ends, on every instance, not just this browser's cookie
		if claims, err := p.Tokens.Parse(cookie, auth.Officer); err == nil {
			if err := auth.RevokeToken(c.Context(), p.Pool, claims); err != nil {
				return err
			}
		}
	}
	c.Cookie(&fiber.Cookie{Name: OfficerCookie, Value: "", Path: "/", Expires: time.Unix(1, 0), MaxAge: -1, HTTPOnly: true, Secure: p.Secure, SameSite: "Strict"})
	return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice/login")
}

// Require guards a page: without a valid officer cookie it redirects to the
// login form (and back afterwards); an officer without any of roles gets 403.
// A page's script asking for JSON gets 401 instead of the login form. The
// officer's menu (the pages their roles open) goes to the page's layout.
func (p *PageAuth) Require(roles ...string) fiber.Handler {
	return func(c fiber.Ctx) error {
		cookie := c.Cookies(OfficerCookie)
		claims, err := p.Tokens.Parse(cookie, auth.Officer)
		if err != nil {
			if c.Accepts(fiber.MIMETextHTML, fiber.MIMEApplicationJSON) == fiber.MIMEApplicationJSON {
				return httpx.ErrUnauthorized
			}
			return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice/login?next=" + url.QueryEscape(c.OriginalURL()))
		}
		if claims.MustChange {
			if c.Accepts(fiber.MIMETextHTML, fiber.MIMEApplicationJSON) == fiber.MIMEApplicationJSON {
				return httpx.New(fiber.StatusForbidden, "password_change_required")
			}
			return c.Redirect().Status(fiber.StatusSeeOther).To(PasswordPath)
		}
		auth.WithPrincipal(c, claims)
		setNav(c, officerNav(p.Menu, auth.Get(c), c.Path()), csrfToken(cookie))
		if err := checkCSRF(c, cookie); err != nil {
			return err
		}
		if len(roles) > 0 && !auth.Get(c).HasRole(roles...) {
			return httpx.ErrForbidden
		}
		return c.Next()
	}
}
