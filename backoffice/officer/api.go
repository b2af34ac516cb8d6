// Package officer holds backoffice accounts and their roles, the login API,
// sign-in for pages and the page guard with its menu. It owns the officers table.
package officer

import (
	"time"

	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
)

// Service is the officer login API.
type Service struct {
	Pool     *pgxpool.Pool
	Clock    clock.Clock
	Tokens   *auth.Tokens
	Throttle auth.Throttle
	Log      *slog.Logger
}

// OfficerTokenTTL is one working shift.
const OfficerTokenTTL = 12 * time.Hour

// Routes registers the officer API under /api/v1.
func (s *Service) Routes(api httpx.API) {
	api.Post("/backoffice/login", httpx.Op{
		Summary: "Officer login", Tag: "backoffice",
		Body:      loginRequest{},
		Responses: map[int]any{200: loginResponse{}, 401: nil, 422: nil, 429: nil},
	}, s.login)
	officer := auth.Require(s.Tokens, auth.Officer)
	api.Get("/backoffice/me", httpx.Op{
		Summary: "The signed-in officer", Tag: "backoffice", Auth: auth.Officer,
		Responses: map[int]any{200: Officer{}, 401: nil},
	}, officer, s.me)
}
