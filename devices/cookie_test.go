package devices_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/devices"
	"github.com/sppt/sppt/internal/config"
)

// Behind a TLS proxy the request reaches SPPT as plain http; the public
// address (PUBLIC_BASE_URL) says the browser speaks https, so the kiosk's and
// the TV's device cookies must be Secure all the same.
func TestDeviceCookiesSecureBehindTLSProxy(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Configure: func(c *config.Config) { c.PublicBaseURL = "https://sppt.example" }})
	for _, d := range []struct{ kind, path, cookie string }{
		{"kiosk", "/kiosk/setup", devices.KioskCookie}, {"display", "/tv/setup", devices.DisplayCookie},
	} {
		tok := in.DeviceToken(t, "JKS", d.kind, "Secure "+d.kind)
		st, h, body := apptest.Page(t, "POST", in.URL+d.path, "", url.Values{"code": {tok}})
		if st != 303 {
			t.Fatalf("%s setup: %d %.300s", d.kind, st, body)
		}
		var set string
		for _, c := range h.Values("Set-Cookie") {
			if strings.HasPrefix(c, d.cookie+"=") {
				set = c
			}
		}
		if set == "" || !strings.Contains(strings.ToLower(set), "; secure") || !strings.Contains(strings.ToLower(set), "httponly") {
			t.Errorf("%s cookie behind a TLS proxy: %q; want Secure and HttpOnly", d.kind, set)
		}
	}
}
