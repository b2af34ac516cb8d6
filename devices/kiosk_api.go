package devices

import (
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

type checkinRequest struct {
	BookingCode string `json:"booking_code"`
	NIK         string `json:"nik"`
}

type walkinRequest struct {
	Service string `json:"service"`
	// IdempotencyKey (optional, 16-64 of A-Z a-z 0-9 _ -): the same key and
	// service from the same kiosk return the same ticket instead of another.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

type heartbeatRequest struct {
	Status string `json:"status,omitempty"`
}

type heartbeatResponse struct {
	ID         string    `json:"id"`
	Office     string    `json:"office"`
	Kind       string    `json:"kind"`
	Name       string    `json:"name"`
	ServerTime time.Time `json:"server_time"`
}

var (
	bookingCodeRe = regexp.MustCompile(`^[0-9A-Z]{6,12}$`)
	nikRe         = regexp.MustCompile(`^[0-9]{16}$`)
)

// normalizeCheckin trims what people type or scanners add (spaces, dashes,
// lower case) and checks the form of both fields.
func normalizeCheckin(code, nik string) (string, string, error) {
	code = strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(code)))
	nik = strings.NewReplacer(" ", "", ".", "", "-", "").Replace(strings.TrimSpace(nik))
	v := httpx.Invalid()
	switch {
	case code == "":
		v.Field("booking_code", "field.required")
	case !bookingCodeRe.MatchString(code):
		v.Field("booking_code", "queue.field.booking_code")
	}
	switch {
	case nik == "":
		v.Field("nik", "field.required")
	case !nikRe.MatchString(nik):
		v.Field("nik", "queue.field.nik")
	}
	return code, nik, v.OrNil()
}

func (s *Service) apiCheckin(c fiber.Ctx) error {
	var req checkinRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		return err
	}
	code, nik, err := normalizeCheckin(req.BookingCode, req.NIK)
	if err != nil {
		return err
	}
	p := auth.Get(c)
	if err := s.requireOpen(c.Context(), p.Office); err != nil {
		return err
	}
	t, err := s.Queue.CheckIn(c.Context(), p.Office, code, nik, DeviceActor(p))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(t)
}

func (s *Service) apiWalkin(c fiber.Ctx) error {
	var req walkinRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Service) == "" {
		return httpx.Invalid().Field("service", "field.required")
	}
	p := auth.Get(c)
	if err := s.requireOpen(c.Context(), p.Office); err != nil {
		return err
	}
	t, err := s.walkinOnce(c.Context(), p.Claims, strings.TrimSpace(req.Service), req.IdempotencyKey)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(t)
}

func (s *Service) apiHeartbeat(c fiber.Ctx) error {
	var req heartbeatRequest
	if len(c.Body()) > 0 {
		if err := httpx.BindJSON(c, &req); err != nil {
			return err
		}
	}
	p := auth.Get(c)
	if err := s.Registry.Heartbeat(c.Context(), p.Subject, req.Status); err != nil {
		return err
	}
	return c.JSON(heartbeatResponse{ID: p.Subject, Office: p.Office, Kind: p.Kind, Name: p.Name, ServerTime: s.Clock.Now()})
}
