package app_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
)

// A JSON value of the wrong type is a 422 whose field message is text for a
// person in the caller's language — never the raw message key.
func TestWrongTypeFieldIsTranslated(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	for lang, want := range map[string]string{"id": "Jenis nilai", "en": "wrong type"} {
		r := in.Do(t, "POST", "/api/v1/backoffice/login", "", `{"username": 5, "password": "x"}`, "Accept-Language", lang)
		var e struct {
			Error struct{ Fields map[string]string } `json:"error"`
		}
		_ = json.Unmarshal(r.Body, &e)
		msg := e.Error.Fields["username"]
		if r.Status != 422 || !strings.Contains(msg, want) || strings.Contains(msg, "field.") || !strings.Contains(msg, "string") {
			t.Errorf("%s: %d %s", lang, r.Status, r.Body)
		}
	}
}
