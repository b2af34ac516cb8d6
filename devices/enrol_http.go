package devices

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

type createRequest struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

type enrolRequest struct {
	Code string `json:"code"`
}

func (s *Service) apiCreate(c fiber.Ctx) error {
	var req createRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		return err
	}
	p := auth.Get(c)
	e, err := s.Registry.CreateForEnrolment(c.Context(), p.Office, strings.TrimSpace(req.Kind), req.Name, "officer:"+p.Subject, s.Clock.Now())
	if err != nil {
		return err
	}
	e.Code = FormatEnrolCode(e.Code)
	return c.Status(fiber.StatusCreated).JSON(e)
}

func (s *Service) apiEnrol(c fiber.Ctx) error {
	var req enrolRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Code) == "" {
		return httpx.Invalid().Field("code", "field.required")
	}
	e, err := s.Registry.Redeem(c.Context(), req.Code, httpx.ClientKey(c), s.Clock.Now())
	if err != nil {
		return err
	}
	return c.JSON(e)
}

// setupDevice is the token a setup screen's form gives: a one-time code
// typed by the person setting the device up, or (for operators who used the
// CLI) a whole device token pasted in the same field.
func (s *Service) setupDevice(c fiber.Ctx, kind string) (string, *auth.Claims, error) {
	in := strings.TrimSpace(c.FormValue("code"))
	if in == "" {
		return "", nil, httpx.Invalid().Field("code", "field.required")
	}
	if len(in) > 40 { // a JWT, never a code
		claims, err := s.Registry.Check(c.Context(), in, kind)
		if err != nil {
			return "", nil, errEnrolCode()
		}
		return in, claims, nil
	}
	e, err := s.Registry.Redeem(c.Context(), in, httpx.ClientKey(c), s.Clock.Now(), kind)
	if err != nil {
		return "", nil, err
	}
	claims, err := s.Registry.Check(c.Context(), e.Token, kind)
	return e.Token, claims, err
}

// setDeviceCookie keeps a device token in the device's browser (HttpOnly:
// no script reads it; SameSite=Strict: no other site sends it; Secure when
// the public address is https — behind a TLS proxy the request itself
// arrives as http — or the request came over TLS).
func (s *Service) setDeviceCookie(c fiber.Ctx, name, path, token string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: token, Path: path, MaxAge: int(TokenTTL / time.Second),
		HTTPOnly: true, SameSite: "Strict", Secure: s.SecureCookies || c.Protocol() == "https"})
}

// setupError is the message for a refused setup form.
func (s *Service) setupError(c fiber.Ctx, err error) (int, string, error) {
	he, ok := httpx.As(err)
	if !ok || he.Status >= 500 {
		return 0, "", err
	}
	cat, lang := s.Pages.Catalog(), httpx.Lang(c)
	msg := cat.T(lang, "err."+he.Code, he.Params...)
	if f, ok := he.Fields["code"]; ok {
		msg = cat.T(lang, f.Key, f.Params...)
	}
	return he.Status, msg, nil
}
