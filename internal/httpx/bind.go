package httpx

import (
	"encoding"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"

	"github.com/gofiber/fiber/v3"
)

// BindJSON decodes the request body into v. Malformed JSON is 400
// invalid_json; a value of the wrong type is 422 naming the field.
func BindJSON(c fiber.Ctx, v any) error {
	body := c.Body()
	if len(strings.TrimSpace(string(body))) == 0 {
		return New(http.StatusBadRequest, "invalid_json")
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return Invalid().Field(te.Field, "field.invalid_type", "type", jsonType(te.Type))
		}
		return New(http.StatusBadRequest, "invalid_json")
	}
	return nil
}

// jsonType names the JSON type a Go type is read from, for the field
// message ("string", not "*time.Time").
func jsonType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
		reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	if t.Implements(textUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return "string" // time.Time, and the like
	}
	return "object"
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
