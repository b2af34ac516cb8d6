// Package portal is the citizen-facing HTTP: pages and the /api/v1 JSON for
// offices, the quota calendar, OTP sign-in, bookings and status.
//
// It is the HTTP layer over the quota domain: it validates input, maps the
// domain's errors to CONTRACT.md's statuses and renders pages. The only SQL
// it runs is on its own table (citizen_otps).
package portal

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/quota"
)

// Office is an office as citizens see it.
type Office struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	City     string `json:"city"`
	Timezone string `json:"timezone"`
	Address  string `json:"address"`
	// Province is the office's province (offices.region), for grouping.
	Province string `json:"province,omitempty"`
}

// TodayQuota is an office's remaining seats today.
type TodayQuota struct {
	Open            bool
	OnlineRemaining int
	WalkinRemaining int
}

// Directory lists offices; cmd/sppt wires the quota package's implementation.
type Directory interface {
	Offices(ctx context.Context) ([]Office, error)
}

// Quota is the part of *quota.Service the portal calls.
type Quota interface {
	Calendar(ctx context.Context, office string, from time.Time, days int) ([]quota.DayStatus, error)
	Day(ctx context.Context, office string, date time.Time) (quota.DayStatus, error)
	Book(ctx context.Context, req quota.BookingRequest) (quota.Booking, error)
	JoinWaitlist(ctx context.Context, req quota.BookingRequest) (quota.Booking, error)
	Bookings(ctx context.Context, phone string) ([]quota.Booking, error)
	Booking(ctx context.Context, phone, code string) (quota.Booking, error)
	Cancel(ctx context.Context, phone, code string) (quota.Booking, error)
	Reschedule(ctx context.Context, phone, code string, date time.Time) (quota.Booking, error)
	AcceptOffer(ctx context.Context, phone, code string) (quota.Booking, error)
}

// OTPSender puts the SMS carrying a sign-in code into the durable outbox,
// inside tx, so the code exists exactly when its message does. key is the
// message's idempotency key.
type OTPSender interface {
	SendOTP(ctx context.Context, tx pgx.Tx, phone, code, key string, ttl time.Duration) error
}

// Application is what the status lookup shows.
type Application struct {
	ApplicationNo string
	Stage         string
	UpdatedAt     time.Time
}

// Applications finds an application by its number and the applicant's birth
// date; quota.ErrNotFound (or ErrNotFound) when either does not match.
type Applications interface {
	Status(ctx context.Context, applicationNo string, birthDate time.Time) (Application, error)
}

// BlankDay is a book type whose blank booklets run low or out by a day.
type BlankDay struct {
	Date     time.Time
	BookType string // ordinary_24, ordinary_48, electronic_48
	Level    string // low or out
}

// Blanks says which days an office's blank stock runs low or out (the
// printing step's ledger; cmd/sppt wires it), so the calendar says so on
// those days instead of silently refusing them.
type Blanks interface {
	Outlook(ctx context.Context, office string, today time.Time, days []time.Time) ([]BlankDay, error)
}

// Service holds what the portal's handlers need.
type Service struct {
	Pool         *pgxpool.Pool
	Clock        clock.Clock
	Directory    Directory
	Quota        Quota // nil until the quota service is wired: booking routes answer 503
	Tokens       *auth.Tokens
	OTP          OTPSender
	Applications Applications
	CheckIns     CheckIns  // nil: a checked-in booking shows no ticket
	Fees         Fees      // nil: the confirmation shows no fees
	Documents    Documents // nil: document uploads answer 503
	Blanks       Blanks    // nil: the calendar says nothing of blank stock
	Limits       OTPLimits // zero: DefaultOTPLimits
	Pages        *frontend.Renderer
	Log          *slog.Logger
	// SecureCookies marks cookies Secure whatever the request's scheme
	// (PUBLIC_BASE_URL is https).
	SecureCookies bool

	zones   sync.Map // office code → *time.Location; offices are never deleted
	zonesMu sync.Mutex
}

// Routes registers the portal's API under /api/v1.
func (s *Service) Routes(api httpx.API) {
	api.Get("/offices", httpx.Op{
		Summary: "List offices", Tag: "public",
		Responses: map[int]any{200: officesResponse{}},
	}, s.listOffices)
	s.quotaRoutes(api)
	s.otpRoutes(api)
	s.bookingRoutes(api)
	s.statusRoutes(api)
	s.documentRoutes(api)
}

// PageRoutes registers the citizen pages.
func (s *Service) PageRoutes(r fiber.Router) {
	r.Get("/", s.home)
	s.pageRoutes(r)
}

// quotaService returns the quota service or a 503 while it is not wired.
func (s *Service) quotaService() (Quota, error) {
	if s.Quota == nil {
		return nil, httpx.New(503, "unavailable")
	}
	return s.Quota, nil
}
