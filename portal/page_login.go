package portal

import (
	"net/http"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

type loginView struct {
	view
	Step     string // "phone" or "code"
	Phone    string
	Next     string
	Minutes  int
	SignedIn bool
}

func (s *Service) loginPage(c fiber.Ctx) error {
	v := loginView{view: s.newView(c), Step: "phone", Next: safeNext(c.Query("next"))}
	_, v.SignedIn = s.sessionPhone(c)
	return s.render(c, http.StatusOK, "portal_login", "portal.login.title", v)
}

// loginSend sends the code and shows the code form.
func (s *Service) loginSend(c fiber.Ctx) error {
	v := loginView{view: s.newView(c), Step: "phone", Phone: c.FormValue("phone"), Next: safeNext(c.FormValue("next"))}
	phone, err := normalizePhone(v.Phone)
	if err == nil {
		var ttl = DefaultOTPLimits.TTL
		if ttl, err = s.IssueOTP(c.Context(), phone, httpx.ClientKey(c)); err == nil {
			v.Step, v.Phone, v.Minutes = "code", phone, int(ttl.Minutes())
			return s.render(c, http.StatusOK, "portal_login", "portal.login.title", v)
		}
	}
	if err := s.addError(c, &v.view, err, "phone"); err != nil {
		return err
	}
	return s.render(c, statusOf(err), "portal_login", "portal.login.title", v)
}

// loginVerify checks the code, starts the session and goes where the citizen was heading.
func (s *Service) loginVerify(c fiber.Ctx) error {
	v := loginView{view: s.newView(c), Step: "code", Phone: c.FormValue("phone"), Next: safeNext(c.FormValue("next")),
		Minutes: int(s.limits().TTL.Minutes())}
	token, exp, err := s.signIn(c, v.Phone, c.FormValue("code"))
	if err == nil {
		s.setSession(c, token, exp)
		return c.Redirect().Status(http.StatusSeeOther).To(v.Next)
	}
	if e, ok := asHTTP(err); ok && e.Code == "otp_invalid" {
		v.Errors["code"] = s.cat().T(v.Lang, "portal.otp.wrong")
		v.Summary = []fieldErrorView{{Field: "code", Message: v.Errors["code"]}}
	} else if err := s.addError(c, &v.view, err, "phone", "code"); err != nil {
		return err
	}
	if _, bad := v.Errors["phone"]; bad {
		v.Step = "phone"
	}
	return s.render(c, statusOf(err), "portal_login", "portal.login.title", v)
}

type logoutView struct {
	view
}

// logoutPage asks before signing out: a link or an address typed in cannot
// sign a citizen out, only the form with its token.
func (s *Service) logoutPage(c fiber.Ctx) error {
	if _, ok := s.sessionPhone(c); !ok {
		return c.Redirect().Status(http.StatusSeeOther).To("/")
	}
	return s.render(c, http.StatusOK, "portal_logout", "portal.logout.title", logoutView{view: s.newView(c)})
}

// logout ends the session. Its form carries the CSRF token like every other:
// SameSite=Lax alone lets another site's top-level form post clear the
// cookie. Without the token the citizen stays signed in and gets 403 with
// the reason and the form again (a fresh token, so pressing it works).
func (s *Service) logout(c fiber.Ctx) error {
	if _, ok := s.sessionPhone(c); ok && !validCSRF(c) {
		v := logoutView{view: s.newView(c)}
		v.Alert = s.cat().T(v.Lang, "portal.logout.csrf_failed")
		return s.render(c, http.StatusForbidden, "portal_logout", "portal.logout.title", v)
	}
	if p := auth.Get(c); p.Audience() == auth.Citizen && p.ID != "" {
		// the token itself stops working on every instance, not just this cookie
		if err := auth.RevokeToken(c.Context(), s.Pool, p.Claims); err != nil {
			return err
		}
	}
	s.clearSession(c) // signed out already (or an expired cookie): nothing to protect
	return c.Redirect().Status(http.StatusSeeOther).To("/")
}
