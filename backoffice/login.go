package backoffice

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	Officer   Officer   `json:"officer"`
}

func (s *Service) login(c fiber.Ctx) error {
	var req loginRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		return err
	}
	req.Username = strings.ToLower(strings.TrimSpace(req.Username))
	v := httpx.Invalid()
	if req.Username == "" {
		v.Field("username", "field.required")
	}
	if req.Password == "" {
		v.Field("password", "field.required")
	}
	if err := v.OrNil(); err != nil {
		return err
	}
	ctx, now, ip := c.Context(), s.Clock.Now(), c.IP()
	ok, retry, err := s.Throttle.Allowed(ctx, s.Pool, req.Username, ip, now)
	if err != nil {
		return err
	}
	if !ok {
		secs := int(retry.Sub(now).Seconds()) + 1
		return httpx.New(fiber.StatusTooManyRequests, "too_many_requests").Header("Retry-After", strconv.Itoa(secs))
	}
	o, err := Authenticate(ctx, s.Pool, req.Username, req.Password)
	if errors.Is(err, ErrBadCredentials) {
		_ = s.Throttle.Record(ctx, s.Pool, req.Username, ip, false, now)
		return httpx.New(fiber.StatusUnauthorized, "invalid_credentials")
	}
	if err != nil {
		return err
	}
	_ = s.Throttle.Record(ctx, s.Pool, req.Username, ip, true, now)
	tok, exp, err := s.Tokens.Mint(auth.Officer, strconv.FormatInt(o.ID, 10), OfficerTokenTTL,
		auth.Claims{Office: o.Office, Region: o.Region, Roles: o.Roles, Name: o.Username})
	if err != nil {
		return err
	}
	return c.JSON(loginResponse{Token: tok, ExpiresAt: exp, Officer: o})
}

func (s *Service) me(c fiber.Ctx) error {
	p := auth.Get(c)
	return c.JSON(Officer{Username: p.Name, Office: p.Office, Region: p.Region, Roles: p.Roles})
}
