package portal

import (
	"net/http"

	"github.com/gofiber/fiber/v3"
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
		if ttl, err = s.IssueOTP(c.Context(), phone, c.IP()); err == nil {
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

func (s *Service) logout(c fiber.Ctx) error {
	s.clearSession(c)
	return c.Redirect().Status(http.StatusSeeOther).To("/")
}
