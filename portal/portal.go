// Package portal is the citizen-facing HTTP: pages and the /api/v1 JSON for
// offices, the quota calendar, OTP sign-in, bookings and status.
package portal

import (
	"context"
	"log/slog"

	"github.com/gofiber/fiber/v3"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
)

// Office is an office as citizens see it.
type Office struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	City     string `json:"city"`
	Timezone string `json:"timezone"`
	Address  string `json:"address"`
}

// TodayQuota is an office's remaining seats today.
type TodayQuota struct {
	Open            bool
	OnlineRemaining int
	WalkinRemaining int
}

// Directory is what the portal needs to know about offices; cmd/sppt wires
// the quota package's implementation.
type Directory interface {
	Offices(ctx context.Context) ([]Office, error)
	Today(ctx context.Context, office string) (TodayQuota, error)
}

// Service holds what the portal's handlers need.
type Service struct {
	Pool      *pgxpool.Pool
	Clock     clock.Clock
	Directory Directory
	Pages     *frontend.Renderer
	Log       *slog.Logger
}

// Routes registers the portal's API under /api/v1.
func (s *Service) Routes(api httpx.API) {
	api.Get("/offices", httpx.Op{
		Summary: "List offices", Tag: "public",
		Responses: map[int]any{200: officesResponse{}},
	}, s.listOffices)
}

// Pages registers the citizen pages.
func (s *Service) PageRoutes(r fiber.Router) {
	r.Get("/", s.home)
}
