package httpx

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/prometheus/client_golang/prometheus"
)

type requestIDKey struct{}

// RequestID returns the id given to this request.
func RequestID(c fiber.Ctx) string {
	s, _ := c.Locals(requestIDKey{}).(string)
	return s
}

// Observe gives each request an id, recovers panics into 500s, logs one JSON
// line per request and counts it. Only the route template is logged, never
// the concrete path or query, which may carry a NIK, a phone or a birth date.
func Observe(log *slog.Logger, m *Metrics) fiber.Handler {
	return func(c fiber.Ctx) (err error) {
		start := time.Now()
		id := c.Get("X-Request-ID")
		if len(id) == 0 || len(id) > 64 {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Locals(requestIDKey{}, id)
		c.Set("X-Request-ID", id)
		defer func() {
			if r := recover(); r != nil {
				log.Error("panic", "request_id", id, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = New(500, "internal")
			}
			if err != nil {
				if herr := c.App().ErrorHandler(c, err); herr != nil {
					_ = c.SendStatus(500)
				}
				err = nil
			}
			status := c.Response().StatusCode()
			route := routePath(c)
			d := time.Since(start)
			m.requests.WithLabelValues(c.Method(), route, strconv.Itoa(status)).Inc()
			m.latency.WithLabelValues(c.Method(), route).Observe(d.Seconds())
			if route != "/healthz" && route != "/metrics" {
				log.Info("http", "request_id", id, "method", c.Method(), "route", route, "status", status, "ms", d.Milliseconds())
			}
		}()
		return c.Next()
	}
}

func routePath(c fiber.Ctx) string {
	if r := c.Route(); r != nil && r.Path != "" && r.Path != "/" || c.Path() == "/" {
		return c.Route().Path
	}
	return "unmatched"
}

// Metrics are the HTTP metrics on a Prometheus registry.
type Metrics struct {
	Registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sppt_http_requests_total", Help: "HTTP requests by route and status."}, []string{"method", "route", "status"}),
		latency:  prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "sppt_http_request_seconds", Help: "HTTP request latency.", Buckets: prometheus.DefBuckets}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.latency, prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}
