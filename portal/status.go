package portal

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/throttle"
	"github.com/sppt/sppt/quota"
)

// ErrNotFound is what an Applications implementation returns when the
// number or the birth date does not match.
var ErrNotFound = errors.New("application not found")

type statusResponse struct {
	ApplicationNo string    `json:"application_no"`
	Stage         string    `json:"stage"`
	StatusText    string    `json:"status_text"` // where the application is now, in plain words
	NextText      string    `json:"next_text"`   // what happens next
	UpdatedAt     time.Time `json:"updated_at"`
}

// Stages are the applications table's stages; each has the locale texts
// "stage.<stage>.now" and "stage.<stage>.next" (frontend/locales/*/stages.json).
var Stages = []string{"queued", "desk", "biometric", "adjudication", "billing", "printing", "validation", "ready",
	"picked_up", "on_hold", "rejected", "cancelled"}

var applicationNoRE = regexp.MustCompile(`^[0-9A-Z-]{6,32}$`)

// Application numbers are predictable (office, day, ticket), so the birth
// date is the secret, and guesses at it are limited: per number from any
// address, which stops a search spread over many, and per client across
// numbers, which stops one address scanning. An attempt takes a slot of
// both and a right answer gives them back; a number that does not exist
// counts exactly as one that does, so neither 404 nor 429 tells them apart.
var (
	StatusPerNumber = throttle.Rule{Name: "status.application", Limit: 10, Window: 24 * time.Hour}
	StatusPerClient = throttle.Rule{Name: "status.address", Limit: 20, Window: 15 * time.Minute}
)

func (s *Service) statusRoutes(api httpx.API) {
	api.Get("/applications/:application_no/status", httpx.Op{
		Summary: "An application's stage (a wrong number or birth date: 404)", Tag: "public",
		Query:     []httpx.Param{{Name: "birth_date", Description: "the applicant's birth date, YYYY-MM-DD", Required: true}},
		Responses: map[int]any{200: statusResponse{}, 404: nil, 422: nil, 429: nil},
	}, s.getStatus)
}

func (s *Service) getStatus(c fiber.Ctx) error {
	st, err := s.lookupStatus(c.Context(), c.Params("application_no"), c.Query("birth_date"), httpx.Lang(c), httpx.ClientKey(c))
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// lookupStatus validates the two inputs and finds the application; a wrong
// number and a wrong birth date are the same 404, so the lookup cannot be
// used to learn whether a number exists. client is httpx.ClientKey.
func (s *Service) lookupStatus(ctx context.Context, rawNo, rawBirth, lang, client string) (statusResponse, error) {
	bad := httpx.Invalid()
	no := strings.ToUpper(strings.TrimSpace(rawNo))
	if !applicationNoRE.MatchString(no) {
		bad.Field("application_no", "portal.status.application_no_format")
	}
	birth, err := parseBirthDate(rawBirth)
	if err != nil && strings.TrimSpace(rawBirth) == "" {
		bad.Field("birth_date", "portal.birth_date.required")
	} else if err != nil {
		bad.Field("birth_date", "portal.birth_date.format")
	}
	if bad.HasFields() {
		return statusResponse{}, bad
	}
	if s.Applications == nil {
		return statusResponse{}, httpx.New(503, "unavailable")
	}
	now := s.Clock.Now()
	slots, err := throttle.Take(ctx, s.Pool, now, StatusPerNumber.For(no), StatusPerClient.For(client))
	if refused, ok := errors.AsType[*throttle.Refused](err); ok {
		return statusResponse{}, httpx.TooMany("status_rate_limited", now, refused.RetryAt)
	}
	if err != nil {
		return statusResponse{}, err
	}
	a, err := s.Applications.Status(ctx, no, birth)
	if errors.Is(err, ErrNotFound) || errors.Is(err, quota.ErrNotFound) {
		return statusResponse{}, httpx.New(404, "application_status_not_found") // the slots stay taken
	}
	if err != nil {
		return statusResponse{}, err
	}
	if err := slots.Return(ctx, s.Pool); err != nil {
		return statusResponse{}, err
	}
	cat := s.Pages.Catalog()
	return statusResponse{ApplicationNo: a.ApplicationNo, Stage: a.Stage, StatusText: cat.T(lang, "stage."+a.Stage+".now"),
		NextText: cat.T(lang, "stage."+a.Stage+".next"), UpdatedAt: a.UpdatedAt}, nil
}
