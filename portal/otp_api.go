package portal

import (
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/idn"
)

type otpRequest struct {
	Phone string `json:"phone"`
}

type otpResponse struct {
	ExpiresIn int `json:"expires_in"`
}

type verifyRequest struct {
	Phone string `json:"phone"`
	Code  string `json:"code"`
}

type verifyResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (s *Service) otpRoutes(api httpx.API) {
	api.Post("/auth/otp", httpx.Op{
		Summary: "Send a sign-in code by SMS", Tag: "citizen", Body: otpRequest{},
		Responses: map[int]any{202: otpResponse{}, 422: nil, 429: nil},
	}, s.postOTP)
	api.Post("/auth/verify", httpx.Op{
		Summary: "Exchange a sign-in code for a citizen token", Tag: "citizen", Body: verifyRequest{},
		Responses: map[int]any{200: verifyResponse{}, 401: nil, 422: nil, 429: nil},
	}, s.postVerify)
}

func (s *Service) postOTP(c fiber.Ctx) error {
	var req otpRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		return err
	}
	phone, err := normalizePhone(req.Phone)
	if err != nil {
		return err
	}
	ttl, err := s.IssueOTP(c.Context(), phone, httpx.ClientKey(c))
	if err != nil {
		return err
	}
	return c.Status(http.StatusAccepted).JSON(otpResponse{ExpiresIn: int(ttl.Seconds())})
}

func (s *Service) postVerify(c fiber.Ctx) error {
	var req verifyRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		return err
	}
	token, exp, err := s.signIn(c, req.Phone, req.Code)
	if err != nil {
		return err
	}
	return c.JSON(verifyResponse{Token: token, ExpiresAt: exp})
}

// signIn validates the form of phone and code, verifies the code and mints
// the citizen token (shared by the API and the sign-in page).
func (s *Service) signIn(c fiber.Ctx, phoneIn, code string) (string, time.Time, error) {
	bad := httpx.Invalid()
	phone, err := idn.NormalizeMobile(phoneIn)
	if err != nil {
		addFieldError(bad, err)
	}
	code = strings.TrimSpace(code)
	if !validOTPFormat(code) {
		bad.Field("code", "portal.otp.code_format")
	}
	if bad.HasFields() {
		return "", time.Time{}, bad
	}
	if err := s.VerifyOTP(c.Context(), phone, code, httpx.ClientKey(c)); err != nil {
		return "", time.Time{}, err
	}
	return s.Tokens.MintCitizen(phone)
}

// normalizePhone is idn.NormalizeMobile with its error as a 422 on "phone".
func normalizePhone(in string) (string, error) {
	phone, err := idn.NormalizeMobile(in)
	if err != nil {
		return "", addFieldError(httpx.Invalid(), err)
	}
	return phone, nil
}

// addFieldError files an idn.FieldError under its field with the portal's
// message key ("portal." + the idn key); anything else is returned as is.
func addFieldError(bad *httpx.Error, err error) *httpx.Error {
	if fe, ok := err.(idn.FieldError); ok {
		return bad.Field(fe.Field, "portal."+fe.Key)
	}
	return bad.Field("form", "field.invalid")
}
