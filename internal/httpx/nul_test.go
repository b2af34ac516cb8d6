package httpx_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/httpx"
)

// nulApp answers 204 behind RefuseNUL, errors as JSON with the raw keys.
func nulApp() *fiber.App {
	f := fiber.New(fiber.Config{ErrorHandler: func(c fiber.Ctx, err error) error {
		e, _ := httpx.As(err)
		fields := map[string]string{}
		for k, v := range e.Fields {
			fields[k] = v.Key
		}
		return c.Status(e.Status).JSON(fields)
	}})
	f.Use(httpx.RefuseNUL("/hook"))
	f.All("/*", func(c fiber.Ctx) error { return c.SendStatus(204) })
	return f
}

func TestRefuseNULNamesTheField(t *testing.T) {
	t.Parallel()
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	_ = w.WriteField("note", "fine")
	_ = w.WriteField("name", "bad\x00")
	_ = w.Close()
	var scan bytes.Buffer // a binary file part may hold NULs: it is not text
	w2 := multipart.NewWriter(&scan)
	fw, _ := w2.CreateFormFile("scan", "scan.jpg")
	_, _ = fw.Write([]byte{0xff, 0xd8, 0, 0, 0})
	_ = w2.WriteField("kind", "ktp")
	_ = w2.Close()
	cases := []struct {
		name, method, target, ctype, body, field string
	}{
		{"form", "POST", "/x", fiber.MIMEApplicationForm, "a=1&username=x%00y", "username"},
		{"form key", "POST", "/x", fiber.MIMEApplicationForm, "us%00er=1", "user"},
		{"multipart", "POST", "/x", w.FormDataContentType(), mp.String(), "name"},
		{"file part", "POST", "/x", w2.FormDataContentType(), scan.String(), ""},
		{"json", "POST", "/x", "application/json", `{"a":{"b":[1,"x\u0000"]}}`, "a.b.1"},
		{"json key", "POST", "/x", "application/json", `{"k\u0000":1}`, "k"},
		{"json top", "POST", "/x", "application/json", `"\u0000"`, "body"},
		{"json without type", "POST", "/x", "", `{"status":"\u0000"}`, "status"},
		{"escaped backslash", "POST", "/x", "application/json", `{"a":"\\u0000"}`, ""},
		{"not json", "POST", "/x", "text/plain", `\u0000 {`, ""},
		{"query", "GET", "/x?q=a%00", "", "", "q"},
		{"path", "GET", "/a%00b", "", "", "path"},
		{"skipped webhook", "POST", "/hook", fiber.MIMEApplicationForm, "Body=a%00", ""},
		{"clean", "POST", "/x?q=1", "application/json", `{"a":"b"}`, ""},
	}
	f := nulApp()
	for _, tc := range cases {
		req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
		if tc.ctype != "" {
			req.Header.Set("Content-Type", tc.ctype)
		}
		resp, err := f.Test(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		if tc.field == "" {
			if resp.StatusCode != 204 {
				t.Errorf("%s: %d %s; want it through", tc.name, resp.StatusCode, raw)
			}
			continue
		}
		var fields map[string]string
		_ = json.Unmarshal(raw, &fields)
		if resp.StatusCode != 422 || fields[tc.field] != httpx.NULField {
			t.Errorf("%s: %d %s; want 422 naming %q", tc.name, resp.StatusCode, raw, tc.field)
		}
	}
}
