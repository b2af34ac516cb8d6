package devices

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/events"
	"github.com/sppt/sppt/internal/httpx"
)

// Ticket is a queue number as the kiosk prints it: the queue's own type.
type Ticket = civil.Ticket

// Call is a ticket called to a booth.
type Call struct {
	Ticket   string    `json:"ticket"`
	Booth    int       `json:"booth"`
	Service  string    `json:"service"`
	CalledAt time.Time `json:"called_at"`
}

// State is an office's queue now (the feed's snapshot, /queue).
type State struct {
	Office      string         `json:"office"`
	OfficeName  string         `json:"office_name"`
	Timezone    string         `json:"timezone"`
	Date        string         `json:"date"`
	Serving     []Call         `json:"serving"`
	Waiting     int            `json:"waiting"`
	WaitingBy   map[string]int `json:"waiting_by_service"`
	RunningText string         `json:"running_text"`
	Quota       any            `json:"quota"`
}

// Queue is what devices need of the on-site queue; cmd/sppt wires the
// backoffice implementation. Errors are *httpx.Error for the caller.
type Queue interface {
	CheckIn(ctx context.Context, office, bookingCode, nik, actor string) (Ticket, error)
	Walkin(ctx context.Context, office, service, actor string) (Ticket, error)
	// AskNear keeps a waiting ticket's phone for its "your turn is near" text.
	AskNear(ctx context.Context, office, number, phone, actor string) error
	State(ctx context.Context, office string) (State, error)
}

// Service is the device-facing HTTP: kiosk, display feed and TV page,
// heartbeats, and the device admin page.
type Service struct {
	Registry *Registry
	Queue    Queue
	// Captures is the biometric station's pipeline side (backoffice/biometric).
	Captures Captures
	Hub      *events.Hub
	Pages    *frontend.Renderer
	Clock    clock.Clock
	Log      *slog.Logger
	// OfficerPage guards admin pages (the backoffice's cookie sign-in).
	OfficerPage func(roles ...string) fiber.Handler
	// Heartbeat is the longest silence on a feed (a comment line); default 10 s.
	Heartbeat time.Duration
	// Offices gives opening hours and zones (kiosk tickets, admin page times).
	Offices Offices
	// Upcoming lists the next waiting numbers per group for the TV (optional).
	Upcoming Upcoming
	// KioskIdle returns an untouched kiosk to its start screen; default 60 s.
	KioskIdle time.Duration
	// Booths are the office's booths a device may be moved to (the queue's).
	Booths Booths

	// SecureCookies marks device cookies Secure (PUBLIC_BASE_URL is https).
	SecureCookies bool

	// PrintJobs is the passport printers' pipeline side (backoffice/printing).
	PrintJobs PrintJobs

	stopOnce sync.Once
	stop     chan struct{}
}

// AdminRoles may list and revoke an office's devices.
var AdminRoles = []string{"admin", "supervisor"}

func (s *Service) stopped() chan struct{} {
	s.stopOnce.Do(func() { s.stop = make(chan struct{}) })
	return s.stop
}

// Stop ends every open feed (at shutdown, so it does not wait for clients).
func (s *Service) Stop() {
	ch := s.stopped()
	select {
	case <-ch:
	default:
		close(ch)
	}
}

// Routes registers the device API and the public display endpoints.
func (s *Service) Routes(api httpx.API) {
	kiosk := s.Registry.Require("kiosk")
	anyDevice := s.Registry.Require()
	station := s.Registry.Require("biometric")
	api.Post("/devices/captures", httpx.Op{Summary: "A biometric station sends an application's face (JPEG + 512-number embedding), ten fingerprints (template and quality, or why missing) and signature (PNG); poor quality answers accepted=false with what to retake",
		Tag: "devices", Auth: auth.Device, Body: captureRequest{},
		Responses: map[int]any{201: civil.CaptureResult{}, 401: nil, 403: nil, 404: nil, 409: nil, 413: nil, 422: nil, 503: nil}}, station, s.apiCapture)
	api.Post("/devices/verifications", httpx.Op{Summary: "1:1 face check at pickup against the face enrolled for the application's applicant",
		Tag: "devices", Auth: auth.Device, Body: verificationRequest{},
		Responses: map[int]any{200: civil.Verification{}, 401: nil, 403: nil, 404: nil, 409: nil, 422: nil, 503: nil}}, station, s.apiVerification)
	s.printRoutes(api)
	api.Post("/kiosk/checkin", httpx.Op{Summary: "Check in a booking (booking code + the applicant's NIK) and get a queue number",
		Tag: "devices", Auth: auth.Device, Body: checkinRequest{},
		Responses: map[int]any{201: Ticket{}, 401: nil, 403: nil, 404: nil,
			409: "booking_not_active, or office_closed: outside the office's opening hours (error.opens_at, closes_at, timezone)", 422: nil}}, kiosk, s.apiCheckin)
	api.Post("/kiosk/tickets", httpx.Op{Summary: "Issue a walk-in queue number (takes a walk-in seat; pickup takes none)",
		Tag: "devices", Auth: auth.Device, Body: walkinRequest{},
		Responses: map[int]any{201: Ticket{}, 401: nil, 403: nil,
			409: "walkin_quota_exhausted, or office_closed: outside the office's opening hours (error.opens_at, closes_at, timezone)", 422: nil}}, kiosk, s.apiWalkin)
	api.Post("/kiosk/tickets/:ticket/near", httpx.Op{Summary: "A walk-in asks for the \"your turn is near\" text (three numbers ahead) on this phone",
		Tag: "devices", Auth: auth.Device, Body: nearRequest{},
		Responses: map[int]any{204: nil, 401: nil, 403: nil, 404: "ticket_not_waiting", 422: nil}}, kiosk, s.apiNear)
	api.Post("/devices/heartbeat", httpx.Op{Summary: "A device reports it is alive (any device kind)",
		Tag: "devices", Auth: auth.Device, Body: heartbeatRequest{},
		Responses: map[int]any{200: heartbeatResponse{}, 401: nil}}, anyDevice, s.apiHeartbeat)

	api.Get("/offices/:code/queue", httpx.Op{Summary: "The office's queue now: numbers being served and how many wait",
		Tag: "public", Responses: map[int]any{200: State{}, 404: nil}}, s.apiQueue)
	api.Get("/offices/:code/feed", httpx.Op{Summary: "Live display feed (Server-Sent Events: snapshot, call, quota, text, ticket; a comment at least every 15 s)",
		Tag: "public", Produces: "text/event-stream", Responses: map[int]any{200: "", 404: nil}}, s.apiFeed)
	api.Get("/offices/:code/next", httpx.Op{Summary: "The next waiting numbers of each service group, in calling order (at most 3 per group)",
		Tag: "public", Responses: map[int]any{200: nextResponse{}, 404: nil}}, s.apiNext)
	api.Get("/offices/:code/running-text", httpx.Op{Summary: "One line for LED running-text controllers: office, date, quota, remaining, now serving",
		Tag: "public", Produces: "text/plain", Responses: map[int]any{200: "", 404: nil}}, s.apiRunningText)

	officer := auth.Require(s.Registry.Tokens, auth.Officer)
	admin := auth.RequireRole(AdminRoles...)
	api.Get("/backoffice/devices", httpx.Op{Summary: "The office's devices and their state", Tag: "devices", Auth: auth.Officer,
		Responses: map[int]any{200: devicesResponse{}, 401: nil, 403: nil}}, officer, admin, s.apiList)
	api.Post("/backoffice/devices", httpx.Op{Summary: "Create a device to enrol: returns a one-time code (8 characters, 15 minutes, single use) the device types on its setup screen",
		Tag: "devices", Auth: auth.Officer, Body: createRequest{},
		Responses: map[int]any{201: Enrolment{}, 401: nil, 403: nil, 422: nil}}, officer, admin, s.apiCreate)
	api.Post("/devices/enrol", httpx.Op{Summary: "A device exchanges its one-time enrolment code for its device token",
		Tag: "devices", Body: enrolRequest{},
		Responses: map[int]any{200: Enrolled{}, 422: "enrol_code_invalid: the code is wrong, expired, already used or its device revoked (all alike); validation_failed when it is not 8 characters of the code alphabet",
			429: "too_many_requests: too many wrong codes from this address"}}, s.apiEnrol)
	api.Post("/backoffice/devices/:id/revoke", httpx.Op{Summary: "Revoke a device's token for good", Tag: "devices", Auth: auth.Officer,
		Responses: map[int]any{200: Device{}, 401: nil, 403: nil, 404: nil}}, officer, admin, s.apiRevoke)
	api.Post("/backoffice/devices/:id/rename", httpx.Op{Summary: "Rename a device of the office (names are unique in the office)", Tag: "devices", Auth: auth.Officer,
		Body: renameRequest{}, Responses: map[int]any{200: Device{}, 401: nil, 403: nil, 404: nil, 422: nil}}, officer, admin, s.apiRename)
	api.Post("/backoffice/devices/:id/move", httpx.Op{Summary: "Place a device of the office at one of its booths (0: none)", Tag: "devices", Auth: auth.Officer,
		Body: moveRequest{}, Responses: map[int]any{200: Device{}, 401: nil, 403: nil, 404: nil, 422: nil}}, officer, admin, s.apiMove)
}

// PageRoutes registers the kiosk, TV and device admin pages.
func (s *Service) PageRoutes(r fiber.Router) {
	r.Get("/tv/:office", s.tvPage)
	r.Get("/tv", s.tvSetupPage)
	r.Post("/tv/setup", s.tvSetup)
	r.Post("/tv/heartbeat", s.tvHeartbeat)
	r.Get("/kiosk", s.kioskPage)
	r.Post("/kiosk/setup", s.kioskSetup)
	r.Post("/kiosk/checkin", s.kioskCheckin)
	r.Post("/kiosk/walkin", s.kioskWalkin)
	r.Post("/kiosk/near", s.kioskNear)
	r.Get("/backoffice/devices", s.OfficerPage(AdminRoles...), s.adminPage)
	r.Post("/backoffice/devices", s.OfficerPage(AdminRoles...), s.adminCreate)
	r.Post("/backoffice/devices/:id/revoke", s.OfficerPage(AdminRoles...), s.adminRevoke)
	r.Get("/backoffice/devices/:id", s.OfficerPage(AdminRoles...), s.devicePage)
	r.Post("/backoffice/devices/:id/rename", s.OfficerPage(AdminRoles...), s.deviceRename)
	r.Post("/backoffice/devices/:id/move", s.OfficerPage(AdminRoles...), s.deviceMove)
}

// officeParam is the office code of the path. Fiber's strings point into the
// request buffer, which the next request reuses: clone what outlives the handler.
func officeParam(c fiber.Ctx) string {
	return strings.Clone(strings.ToUpper(c.Params("code", c.Params("office"))))
}

// DeviceActor is how audit entries name a device.
func DeviceActor(p auth.Principal) string { return "device:" + p.Subject }
