package officer

import (
	"errors"
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
	now := s.Clock.Now()
	res, retry, err := signIn(c.Context(), s.Pool, s.Tokens, s.Throttle, req.Username, req.Password, httpx.ClientKey(c), now)
	switch {
	case errors.Is(err, ErrThrottled):
		return httpx.TooMany("too_many_requests", now, retry)
	case errors.Is(err, ErrBadCredentials):
		return httpx.New(fiber.StatusUnauthorized, "invalid_credentials")
	case err != nil:
		return err
	}
	return c.JSON(res)
}

func (s *Service) me(c fiber.Ctx) error {
	p := auth.Get(c)
	return c.JSON(Officer{Username: p.Name, Office: p.Office, Region: p.Region, Roles: p.Roles})
}
