package httpx

import (
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v3"
)

// Op documents one API operation. Body and the Responses' values are example
// values (or nil) whose Go types become JSON schemas.
type Op struct {
	Summary   string
	Tag       string
	Auth      string // "", "citizen", "officer", "device", "twilio"
	Body      any
	Form      bool // body is form-encoded
	Query     []Param
	Responses map[int]any
	Produces  string // content type of the 2xx response when not JSON
}

// Param is a query parameter.
type Param struct {
	Name, Description string
	Required          bool
}

// Doc is the OpenAPI 3.1 document, assembled from the routes as they register.
type Doc struct {
	mu    sync.Mutex
	paths map[string]map[string]map[string]any
	title string
}

func NewDoc(title string) *Doc {
	return &Doc{paths: map[string]map[string]map[string]any{}, title: title}
}

// API registers routes on a Fiber router and documents them in one step, so
// the document cannot forget a route.
type API struct {
	R      fiber.Router
	Prefix string // the router's mount path, e.g. "/api/v1"
	Doc    *Doc
}

func (a API) Get(path string, op Op, h ...any) {
	a.add(fiber.MethodGet, path, op, h)
}
func (a API) Post(path string, op Op, h ...any) {
	a.add(fiber.MethodPost, path, op, h)
}
func (a API) Put(path string, op Op, h ...any) {
	a.add(fiber.MethodPut, path, op, h)
}
func (a API) Delete(path string, op Op, h ...any) {
	a.add(fiber.MethodDelete, path, op, h)
}

func (a API) add(method, path string, op Op, h []any) {
	a.Doc.Add(method, a.Prefix+path, op)
	a.R.Add([]string{method}, path, h[0], h[1:]...)
}

var fiberParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// OpenAPIPath converts Fiber's ":code" to OpenAPI's "{code}".
func OpenAPIPath(p string) string { return fiberParam.ReplaceAllString(p, "{$1}") }

// Add documents an operation.
func (d *Doc) Add(method, path string, op Op) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := OpenAPIPath(path)
	if d.paths[p] == nil {
		d.paths[p] = map[string]map[string]any{}
	}
	o := map[string]any{"summary": op.Summary, "tags": []string{op.Tag}, "responses": responses(op)}
	var params []any
	for _, m := range fiberParam.FindAllStringSubmatch(path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	for _, q := range op.Query {
		params = append(params, map[string]any{"name": q.Name, "in": "query", "required": q.Required, "description": q.Description, "schema": map[string]any{"type": "string"}})
	}
	if len(params) > 0 {
		o["parameters"] = params
	}
	if op.Body != nil {
		ct := "application/json"
		if op.Form {
			ct = "application/x-www-form-urlencoded"
		}
		o["requestBody"] = map[string]any{"required": true, "content": map[string]any{ct: map[string]any{"schema": Schema(op.Body)}}}
	}
	if op.Auth != "" && op.Auth != "twilio" {
		o["security"] = []any{map[string]any{op.Auth: []string{}}}
	}
	d.paths[p][strings.ToLower(method)] = o
}

func responses(op Op) map[string]any {
	out := map[string]any{}
	codes := make([]int, 0, len(op.Responses))
	for c := range op.Responses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		r := map[string]any{"description": http200Text(c)}
		switch v := op.Responses[c]; {
		case c >= 400:
			if s, ok := v.(string); ok && s != "" { // the error codes this status carries
				r["description"] = http200Text(c) + ": " + s
			}
			r["content"] = map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}
		case v != nil && op.Produces != "":
			r["content"] = map[string]any{op.Produces: map[string]any{"schema": map[string]any{"type": "string"}}}
		case v != nil:
			r["content"] = map[string]any{"application/json": map[string]any{"schema": Schema(v)}}
		}
		out[strconv.Itoa(c)] = r
	}
	if len(out) == 0 {
		out["200"] = map[string]any{"description": "OK"}
	}
	return out
}

func http200Text(c int) string {
	if t := statusText[c]; t != "" {
		return t
	}
	return "Response " + strconv.Itoa(c)
}

var statusText = map[int]string{200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 400: "Bad request",
	401: "Unauthorized", 403: "Forbidden", 404: "Not found", 409: "Conflict", 413: "Body too large",
	422: "Invalid input (see error.fields)", 429: "Too many requests", 503: "Unavailable"}

// Has reports whether method+path is documented (path in Fiber or OpenAPI form).
func (d *Doc) Has(method, path string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.paths[OpenAPIPath(path)][strings.ToLower(method)]
	return ok
}

// JSON returns the whole document.
func (d *Doc) JSON() map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	bearer := map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
	return map[string]any{
		"openapi": "3.1.0",
		"info":    map[string]any{"title": d.title, "version": "1"},
		"paths":   d.paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"citizen": bearer, "officer": bearer, "device": bearer},
			"schemas": map[string]any{"Error": map[string]any{"type": "object", "properties": map[string]any{
				"error": map[string]any{"type": "object", "required": []string{"code", "message"}, "properties": map[string]any{
					"code": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"},
					"fields": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}}}}}}},
		},
	}
}

var timeType = reflect.TypeOf(time.Time{})

// Schema derives a JSON schema from a Go value's type and json tags.
func Schema(v any) map[string]any { return schemaOf(reflect.TypeOf(v), 0) }

func schemaOf(t reflect.Type, depth int) map[string]any {
	if depth > 8 {
		return map[string]any{}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), depth+1)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), depth+1)}
	case reflect.Struct:
		props := map[string]any{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = schemaOf(f.Type, depth+1)
		}
		return map[string]any{"type": "object", "properties": props}
	}
	return map[string]any{}
}
