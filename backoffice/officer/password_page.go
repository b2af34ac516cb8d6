package officer

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// PasswordPath is where an officer signed in with a temporary password
// chooses their own; the page guard sends them nowhere else until then.
const PasswordPath = "/backoffice/password"

type passwordView struct {
	Username    string
	FieldErrors map[string]string
}

// changeClaims is the signed-in officer's token if it is a temporary one.
func (p *PageAuth) changeClaims(c fiber.Ctx) (*auth.Claims, string, bool) {
	cookie := c.Cookies(OfficerCookie)
	claims, err := p.Tokens.Parse(cookie, auth.Officer)
	if err != nil || !claims.MustChange {
		return nil, cookie, false
	}
	return claims, cookie, true
}

func (p *PageAuth) passwordPage(c fiber.Ctx) error {
	claims, cookie, ok := p.changeClaims(c)
	if !ok {
		return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice")
	}
	return p.renderPassword(c, fiber.StatusOK, claims, cookie, passwordView{})
}

func (p *PageAuth) renderPassword(c fiber.Ctx, status int, claims *auth.Claims, cookie string, v passwordView) error {
	auth.WithPrincipal(c, claims)
	// The layout without a menu: nothing else opens yet.
	nav := officerNav(nil, auth.Get(c), c.Path())
	setNav(c, nav, csrfToken(cookie))
	v.Username = claims.Name
	c.Set(fiber.HeaderCacheControl, "no-store")
	return p.Pages.Render(c, status, "officer_password", "admin.password.title", v, false)
}

func (p *PageAuth) passwordSubmit(c fiber.Ctx) error {
	claims, cookie, ok := p.changeClaims(c)
	if !ok {
		return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice")
	}
	if err := checkCSRF(c, cookie); err != nil {
		return err
	}
	pw, again := c.FormValue("password"), c.FormValue("password_again")
	cat, lang := p.Pages.Catalog(), httpx.Lang(c)
	fe := map[string]string{}
	if pw != again {
		fe["password_again"] = cat.T(lang, "admin.password.mismatch")
	} else if err := auth.CheckPolicy(pw, claims.Name); err != nil {
		fe["password"] = cat.T(lang, "admin."+err.Error())
	}
	if len(fe) > 0 {
		return p.renderPassword(c, fiber.StatusUnprocessableEntity, claims, cookie, passwordView{FieldErrors: fe})
	}
	id, _ := strconv.ParseInt(claims.Subject, 10, 64)
	now := p.Clock.Now()
	o, err := ChangePassword(c.Context(), p.Pool, id, claims.Name, pw, claims, now)
	if errors.Is(err, ErrNoOfficer) {
		return httpx.ErrUnauthorized // disabled meanwhile
	}
	if err != nil {
		return err
	}
	tok, exp, err := mintFor(p.Tokens, o)
	if err != nil {
		return err
	}
	p.setCookie(c, tok, exp.Sub(now))
	return c.Redirect().Status(fiber.StatusSeeOther).To(homePage(p.Menu, o.Roles))
}

func (p *PageAuth) setCookie(c fiber.Ctx, tok string, ttl time.Duration) {
	c.Cookie(&fiber.Cookie{Name: OfficerCookie, Value: tok, Path: "/", MaxAge: int(ttl.Seconds()), HTTPOnly: true, Secure: p.Secure, SameSite: "Strict"})
}
