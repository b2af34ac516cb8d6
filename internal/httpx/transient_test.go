package httpx_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/i18n"
)

// saturated is a refusal by admission control that knows its wait.
type saturated struct{ wait time.Duration }

func (s *saturated) Error() string             { return "too many waiting" }
func (s *saturated) Unwrap() error             { return db.ErrSaturated }
func (s *saturated) RetryAfter() time.Duration { return s.wait }

// A handler that meets a database going down (here the 57P01 of a fast
// shutdown, wrapped as a domain wraps it) answers 503 database_busy with
// Retry-After in the contract's shape, not 500 internal; an unknown error
// is still a 500.
func TestTransientDatabaseErrorIs503(t *testing.T) {
	cat, err := i18n.Load(frontend.FS)
	if err != nil {
		t.Fatal(err)
	}
	f := fiber.New(fiber.Config{ErrorHandler: httpx.ErrorHandler(cat, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)})
	f.Get("/api/down", func(c fiber.Ctx) error {
		return fmt.Errorf("quota: book: %w", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"})
	})
	f.Get("/api/bug", func(c fiber.Ctx) error { return fmt.Errorf("nil map") })
	f.Get("/api/saturated", func(c fiber.Ctx) error {
		return fmt.Errorf("book: %w", &saturated{wait: 7200 * time.Millisecond})
	})
	for path, want := range map[string]struct {
		status int
		code   string
		retry  string
	}{"/api/down": {503, "database_busy", "2"}, "/api/bug": {500, "internal", ""},
		"/api/saturated": {503, "database_busy", "8"}} { // its own wait, whole seconds up
		resp, err := f.Test(httptest.NewRequest("GET", path, nil))
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		raw, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(raw, &body); err != nil || resp.StatusCode != want.status || body.Error.Code != want.code ||
			body.Error.Message == "" || resp.Header.Get("Retry-After") != want.retry {
			t.Errorf("%s: %d Retry-After %q %s, want %d %s Retry-After %q", path, resp.StatusCode, resp.Header.Get("Retry-After"), raw,
				want.status, want.code, want.retry)
		}
	}
}
