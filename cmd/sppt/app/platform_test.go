package app_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/httpx"
)

func TestHTTPPlatform(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})

	for _, tc := range []struct {
		name, method, path string
		body               any
		headers            []string
		status             int
		code, text         string
	}{
		{"malformed json", "POST", "/api/v1/backoffice/login", `{"username": `, nil, 400, "invalid_json", "JSON"},
		{"wrong field type", "POST", "/api/v1/backoffice/login", `{"username": 12, "password": "x"}`, nil, 422, "validation_failed", `"username"`},
		{"missing fields", "POST", "/api/v1/backoffice/login", `{}`, nil, 422, "validation_failed", `"password"`},
		{"unknown api route", "GET", "/api/v1/nope", nil, nil, 404, "not_found", "tidak ditemukan"},
		{"unknown api route en", "GET", "/api/v1/nope", nil, []string{"Accept-Language", "en"}, 404, "not_found", "could not find"},
		{"health", "GET", "/healthz", nil, nil, 200, "", `"status":"ok"`},
		{"ready", "GET", "/readyz", nil, nil, 200, "", `"status":"ok"`},
		{"metrics", "GET", "/metrics", nil, nil, 200, "", "sppt_http_requests_total"},
	} {
		r := in.Do(t, tc.method, tc.path, "", tc.body, tc.headers...)
		if r.Status != tc.status || r.ErrorCode() != tc.code || !strings.Contains(string(r.Body), tc.text) {
			t.Errorf("%s: %d %s", tc.name, r.Status, truncate(r.Body))
		}
	}
	// A body over 1 MiB is refused from its Content-Length, before it is read.
	// (A raw connection: a client still writing the body would race the close.)
	conn, err := net.Dial("tcp", strings.TrimPrefix(in.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/backoffice/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{\"username\":\"", 2<<20)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 413 || !strings.Contains(string(raw), `"body_too_large"`) {
		t.Errorf("too large: %d %s", resp.StatusCode, raw)
	}

	// The error body always has a message for a person.
	r := in.Do(t, "GET", "/api/v1/nope", "", nil)
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if json.Unmarshal(r.Body, &e) != nil || e.Error.Message == "" {
		t.Errorf("error body without message: %s", r.Body)
	}
	if r.Header.Get("X-Request-Id") == "" {
		t.Error("no request id header")
	}
}

// Every route registered under /api/v1 is in the OpenAPI document.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	r := in.Do(t, "GET", "/api/v1/openapi.json", "", nil)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	r.JSON(t, &doc)
	if doc.OpenAPI == "" || len(doc.Paths) == 0 {
		t.Fatalf("not an OpenAPI document: %s", truncate(r.Body))
	}
	n := 0
	for _, route := range in.App.HTTP().GetRoutes(true) {
		if !strings.HasPrefix(route.Path, "/api/v1/") || route.Method == fiber.MethodHead {
			continue
		}
		n++
		if _, ok := doc.Paths[httpx.OpenAPIPath(route.Path)][strings.ToLower(route.Method)]; !ok {
			t.Errorf("%s %s is not in the OpenAPI document", route.Method, route.Path)
		}
	}
	if n < 3 {
		t.Fatalf("only %d API routes found", n)
	}
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}
