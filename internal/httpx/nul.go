package httpx

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v3"
)

// NULField is the message key of a field refused for holding a NUL.
const NULField = "field.nul"

// RefuseNUL refuses a request that carries a NUL character anywhere a text
// input can: the path (raw or %00), the query, a form (url-encoded or the
// text parts of a multipart one) or a JSON body (\u0000). PostgreSQL cannot
// store a NUL in text, so without this each such input became a 500; now it
// is a 422 nul_character naming the field, before any handler runs (a page
// gets the error page, which says what to remove). Paths in skip (Twilio's
// webhooks, which must strip instead: see sms.StripNUL) pass untouched.
func RefuseNUL(skip ...string) fiber.Handler {
	return func(c fiber.Ctx) error {
		if slices.Contains(skip, strings.TrimRight(c.Path(), "/")) {
			return c.Next()
		}
		if name, ok := nulInput(c); ok {
			return New(http.StatusUnprocessableEntity, "nul_character").Field(name, NULField)
		}
		return c.Next()
	}
}

var (
	nul        = []byte{0}
	nulEscaped = []byte("%00")
	nulJSON    = []byte(`\u0000`)
)

// nulInput names the first input holding a NUL.
func nulInput(c fiber.Ctx) (string, bool) {
	uri := c.Request().URI()
	if p := uri.PathOriginal(); bytes.Contains(p, nul) || bytes.Contains(p, nulEscaped) || bytes.Contains(uri.Path(), nul) {
		return "path", true
	}
	if name, ok := nulArg(uri.QueryArgs().All()); ok {
		return name, true
	}
	body := c.Body()
	if len(body) == 0 {
		return "", false
	}
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	switch {
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
		return nulArg(c.Request().PostArgs().All())
	case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
		form, err := c.Request().MultipartForm()
		if err != nil {
			return "", false // the handler reports a broken form
		}
		for _, k := range sortedKeys(form.Value) {
			for _, v := range form.Value[k] {
				if strings.Contains(k, "\x00") || strings.Contains(v, "\x00") {
					return cleanName(k), true
				}
			}
		}
		return "", false
	}
	// Any other body may be JSON (BindJSON does not insist on the content
	// type); only one that spells a NUL is decoded here.
	if !bytes.Contains(body, nulJSON) {
		return "", false
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return "", false // not JSON: the handler says so
	}
	return nulJSONPath(v, "")
}

func nulArg(all func(func(k, v []byte) bool)) (name string, found bool) {
	for k, v := range all {
		if bytes.Contains(k, nul) || bytes.Contains(v, nul) {
			return cleanName(string(k)), true
		}
	}
	return "", false
}

// nulJSONPath walks a decoded JSON value; fields are named as dotted paths
// with array indices ("fingerprints.3.template").
func nulJSONPath(v any, path string) (string, bool) {
	switch v := v.(type) {
	case string:
		return orRoot(path), strings.Contains(v, "\x00")
	case []any:
		for i, e := range v {
			if p, ok := nulJSONPath(e, join(path, strconv.Itoa(i))); ok {
				return p, true
			}
		}
	case map[string]any:
		for _, k := range sortedKeys(v) {
			if strings.Contains(k, "\x00") {
				return join(path, cleanName(k)), true
			}
			if p, ok := nulJSONPath(v[k], join(path, k)); ok {
				return p, true
			}
		}
	}
	return "", false
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func orRoot(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

// cleanName is a field name fit to echo back: without its NUL.
func cleanName(s string) string {
	if s = strings.ReplaceAll(s, "\x00", ""); s == "" {
		return "body"
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
