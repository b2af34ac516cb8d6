package portal

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/httpx"
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

func (s *Service) statusRoutes(api httpx.API) {
	api.Get("/applications/:application_no/status", httpx.Op{
		Summary: "An application's stage (a wrong number or birth date: 404)", Tag: "public",
		Query:     []httpx.Param{{Name: "birth_date", Description: "the applicant's birth date, YYYY-MM-DD", Required: true}},
		Responses: map[int]any{200: statusResponse{}, 404: nil, 422: nil},
	}, s.getStatus)
}

func (s *Service) getStatus(c fiber.Ctx) error {
	st, err := s.lookupStatus(c.Context(), c.Params("application_no"), c.Query("birth_date"), httpx.Lang(c))
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// lookupStatus validates the two inputs and finds the application; a wrong
// number and a wrong birth date are the same 404, so the lookup cannot be
// used to learn whether a number exists.
func (s *Service) lookupStatus(ctx context.Context, rawNo, rawBirth, lang string) (statusResponse, error) {
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
	a, err := s.Applications.Status(ctx, no, birth)
	if errors.Is(err, ErrNotFound) || errors.Is(err, quota.ErrNotFound) {
		return statusResponse{}, httpx.New(404, "application_status_not_found")
	}
	if err != nil {
		return statusResponse{}, err
	}
	cat := s.Pages.Catalog()
	return statusResponse{ApplicationNo: a.ApplicationNo, Stage: a.Stage, StatusText: cat.T(lang, "stage."+a.Stage+".now"),
		NextText: cat.T(lang, "stage."+a.Stage+".next"), UpdatedAt: a.UpdatedAt}, nil
}
