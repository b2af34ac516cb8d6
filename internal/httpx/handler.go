package httpx

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/internal/i18n"
)

// PageErrorFunc renders an error as an HTML page for browsers.
type PageErrorFunc func(c fiber.Ctx, status int, message string) error

// ErrorHandler turns every error into CONTRACT.md's shape
// {"error":{"code","message","fields"}} — or a page for browser routes.
func ErrorHandler(cat *i18n.Catalog, log *slog.Logger, page PageErrorFunc) fiber.ErrorHandler {
	return func(c fiber.Ctx, err error) error {
		e := Classify(err)
		if e.Status >= 500 {
			log.Error("request failed", "request_id", RequestID(c), "route", routePath(c), "err", err)
		}
		lang := Lang(c)
		for k, v := range e.Headers {
			c.Set(k, v)
		}
		msg := cat.T(lang, "err."+e.Code, e.Params...)
		if msg == "err."+e.Code {
			msg = cat.T(lang, "err."+genericCode(e.Status))
		}
		// Headers too large for the read buffer are refused before the
		// request line is parsed (the path reads "/"), so whether this was
		// an API call cannot be known: the JSON shape, which every API
		// client reads and a browser still shows, is the safe answer.
		if page != nil && !isAPI(c) && e.Status != http.StatusRequestHeaderFieldsTooLarge {
			return page(c, e.Status, msg)
		}
		body := map[string]any{"code": e.Code, "message": msg}
		if len(e.Fields) > 0 {
			fields := map[string]string{}
			for name, f := range e.Fields {
				if !cat.Has(f.Key) { // a person never reads a raw key
					log.Error("field message key missing from the locale files", "key", f.Key, "route", routePath(c))
					f = FieldMsg{Key: "field.invalid"}
				}
				fields[name] = cat.T(lang, f.Key, f.Params...)
			}
			body["fields"] = fields
		}
		for k, v := range e.Extra {
			body[k] = v
		}
		return c.Status(e.Status).JSON(fiber.Map{"error": body})
	}
}

func isAPI(c fiber.Ctx) bool {
	p := c.Path()
	return strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/readyz" || p == "/metrics" ||
		strings.Contains(c.Get(fiber.HeaderAccept), "application/json")
}

// Classify maps any error to an *Error; unknown errors are 500 internal. A
// transient one is 503 database_busy, with the error's own RetryAfter()
// when it knows how long its backlog needs.
func Classify(err error) *Error {
	if e, ok := As(err); ok {
		return e
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return New(fe.Code, genericCode(fe.Code))
	}
	if db.Transient(err) {
		var wait interface{ RetryAfter() time.Duration }
		if errors.As(err, &wait) {
			return BusyFor(wait.RetryAfter())
		}
		return Busy()
	}
	return New(http.StatusInternalServerError, "internal")
}

func genericCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "bad_request"
	case http.StatusUnauthorized:
		return "unauthorized"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusRequestEntityTooLarge:
		return "body_too_large"
	case http.StatusRequestHeaderFieldsTooLarge:
		return "header_too_large"
	case http.StatusUnprocessableEntity:
		return "validation_failed"
	case http.StatusTooManyRequests:
		return "too_many_requests"
	case http.StatusServiceUnavailable:
		return "unavailable"
	}
	if status >= 500 {
		return "internal"
	}
	return "bad_request"
}

// Lang is the language for this request: ?lang=, the lang cookie, then (API only) Accept-Language.
func Lang(c fiber.Ctx) string {
	if l, ok := c.Locals(langKey{}).(string); ok {
		return l
	}
	// The API follows Accept-Language (CONTRACT.md); pages are Indonesian
	// first and switch to English only when the person chooses it.
	header := ""
	if isAPI(c) {
		header = c.Get(fiber.HeaderAcceptLanguage)
	}
	l := i18n.Pick(firstNonEmpty(c.Query("lang"), c.Cookies("lang")), header)
	c.Locals(langKey{}, l)
	return l
}

type langKey struct{}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
