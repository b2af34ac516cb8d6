package httpx

import (
	"crypto/subtle"
	"net/http"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v3"
)

// MetricsAccess says who may read /metrics (METRICS_TOKEN, METRICS_ALLOW).
type MetricsAccess struct {
	Token string         // a bearer token the scraper sends
	Allow []netip.Prefix // scraper addresses, matched against the TCP peer
	// Production refuses every scrape when neither Token nor Allow is set;
	// elsewhere the endpoint is then open (a developer's own machine).
	Production bool
}

// Guard admits a scrape from an allowed address or with the token: 401 for
// a missing or wrong token (when one is configured), 403 otherwise. The
// peer address is the connection's, never X-Forwarded-For, which anyone
// can send.
func (m MetricsAccess) Guard() fiber.Handler {
	return func(c fiber.Ctx) error {
		if m.Token == "" && len(m.Allow) == 0 {
			if m.Production {
				return New(http.StatusForbidden, "metrics_disabled")
			}
			return c.Next()
		}
		if peer, ok := netip.AddrFromSlice(c.RequestCtx().RemoteIP()); ok {
			peer = peer.Unmap()
			for _, p := range m.Allow {
				if p.Contains(peer) {
					return c.Next()
				}
			}
		}
		if m.Token == "" {
			return ErrForbidden
		}
		got, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
		if ok && subtle.ConstantTimeCompare([]byte(got), []byte(m.Token)) == 1 {
			return c.Next()
		}
		return New(http.StatusUnauthorized, "unauthorized").Header(fiber.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
	}
}
