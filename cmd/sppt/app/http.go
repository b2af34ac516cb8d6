package app

import (
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/fiber/v3/middleware/adaptor"
	"github.com/gofiber/fiber/v3/middleware/static"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/sms"
)

// BodyLimit is the largest request body accepted (413 beyond).
const BodyLimit = 1 << 20

// HTTP builds the Fiber app with every route mounted.
func (a *App) HTTP() *fiber.App {
	if a.fiber != nil {
		return a.fiber
	}
	// TRUSTED_PROXIES: Fiber believes their X-Forwarded-Proto and -Host;
	// the client address every limit counts by is httpx.ClientKey's.
	proxies := make([]string, len(a.Cfg.TrustedProxies))
	for i, p := range a.Cfg.TrustedProxies {
		proxies[i] = p.String()
	}
	f := fiber.New(fiber.Config{
		AppName:          "sppt",
		BodyLimit:        BodyLimit,
		ReadTimeout:      30 * time.Second,
		IdleTimeout:      90 * time.Second,
		ErrorHandler:     httpx.ErrorHandler(a.Catalog, a.Log, a.Pages.ErrorPage),
		TrustProxy:       len(proxies) > 0,
		TrustProxyConfig: fiber.TrustProxyConfig{Proxies: proxies},
	})
	a.fiber = f
	f.Use(httpx.Observe(a.Log, a.Metrics), httpx.NewClients(a.Cfg.TrustedProxies).Handler())
	f.Use(httpx.Security(strings.HasPrefix(a.Cfg.PublicBaseURL, "https://")), httpx.SameOriginForms())
	// Twilio's webhooks strip a NUL after their signature check instead.
	f.Use(httpx.RefuseNUL("/api/v1"+sms.InboundPath, "/api/v1"+sms.StatusPath))
	f.Get("/healthz", func(c fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) })
	f.Get("/readyz", a.ready)
	metrics := httpx.MetricsAccess{Token: a.Cfg.MetricsToken, Allow: a.Cfg.MetricsAllow, Production: a.Cfg.Env == "production"}
	f.Get("/metrics", metrics.Guard(), adaptor.HTTPHandler(promhttp.HandlerFor(a.Metrics.Registry, promhttp.HandlerOpts{})))
	f.Use("/static", static.New("", static.Config{FS: frontend.Static(), MaxAge: 3600}))
	f.Get("/favicon.ico", favicon)

	v1 := f.Group("/api/v1")
	api := httpx.API{R: v1, Prefix: "/api/v1", Doc: a.Doc}
	api.Get("/openapi.json", httpx.Op{Summary: "This OpenAPI document", Tag: "meta", Responses: map[int]any{200: map[string]any{}}},
		func(c fiber.Ctx) error { return c.JSON(a.Doc.JSON()) })
	for _, r := range a.routes {
		r(api)
	}
	for _, p := range a.pages {
		p(a)
	}
	headRoutes(f)
	f.Use(func(c fiber.Ctx) error { return httpx.ErrNotFound })
	return f
}

// headRoutes answers HEAD on every GET route. Fiber adds these itself only
// at start-up, behind the catch-all 404 above, which would answer them first.
func headRoutes(f *fiber.App) {
	for _, r := range f.GetRoutes(true) {
		if r.Method != fiber.MethodGet || len(r.Handlers) == 0 {
			continue
		}
		rest := make([]any, 0, len(r.Handlers)-1)
		for _, h := range r.Handlers[1:] {
			rest = append(rest, h)
		}
		f.Head(r.Path, r.Handlers[0], rest...)
	}
}

// favicon answers the browser's automatic request (pages need no <link>).
func favicon(c fiber.Ctx) error {
	b, err := fs.ReadFile(frontend.Static(), "favicon.ico")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/x-icon")
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.Send(b)
}

func (a *App) ready(c fiber.Ctx) error {
	switch db.Ready(c.Context(), a.Pool, a.health) {
	case db.Down:
		c.Set(fiber.HeaderRetryAfter, "5")
		return c.Status(http.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable",
			"error": fiber.Map{"code": "database_unavailable", "message": "database does not answer"}})
	case db.Saturated:
		c.Set(fiber.HeaderRetryAfter, "1")
		return c.Status(http.StatusServiceUnavailable).JSON(fiber.Map{"status": "saturated",
			"error": fiber.Map{"code": "database_saturated", "message": "the database answers, but every connection of this instance is busy"}})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}
