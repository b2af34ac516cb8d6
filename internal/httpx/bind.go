package httpx

import (
	"encoding/json"
	"errors"
	"net/http"
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
			return Invalid().Field(te.Field, "field.invalid_type", "type", te.Type.String())
		}
		return New(http.StatusBadRequest, "invalid_json")
	}
	return nil
}
