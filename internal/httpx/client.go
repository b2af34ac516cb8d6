package httpx

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v3"
)

// Clients tells who made a request, for every per-client limit. The peer
// of the connection is the client unless it is one of the trusted proxies
// (TRUSTED_PROXIES); then X-Forwarded-For is read from its right end, where
// each proxy appended the address it saw, and the first address that is not
// itself a trusted proxy is the client. Whatever stands to its left was
// written by the client and is not believed.
//
// Fiber's TrustProxy serves the scheme and host (http.go sets it from the
// same list), but its c.IP() takes X-Forwarded-For's left end, which any
// client can write; so limits never use c.IP(), only ClientKey.
type Clients struct {
	proxies []netip.Prefix
}

// NewClients trusts X-Forwarded-For from proxies only (none: never).
func NewClients(proxies []netip.Prefix) Clients { return Clients{proxies: proxies} }

type clientKeyLocal struct{}

// Handler puts each request's client key where ClientKey finds it.
func (cl Clients) Handler() fiber.Handler {
	return func(c fiber.Ctx) error {
		c.Locals(clientKeyLocal{}, KeyOf(cl.Addr(peer(c), c.Request().Header.PeekAll(fiber.HeaderXForwardedFor))))
		return c.Next()
	}
}

// ClientKey is the key every per-client limit counts by: the client's IPv4
// address, or its IPv6 /64 (one subscriber's network, where each device may
// pick any of its addresses). Without Handler it is the peer's.
func ClientKey(c fiber.Ctx) string {
	if k, ok := c.Locals(clientKeyLocal{}).(string); ok {
		return k
	}
	return KeyOf(peer(c))
}

func peer(c fiber.Ctx) netip.Addr {
	a, _ := netip.AddrFromSlice(c.RequestCtx().RemoteIP())
	return a.Unmap()
}

// Addr is the client's address given the connection's peer and the
// X-Forwarded-For header lines, in order.
func (cl Clients) Addr(peer netip.Addr, forwarded [][]byte) netip.Addr {
	if !cl.trusts(peer) {
		return peer
	}
	client := peer
	for i := len(forwarded) - 1; i >= 0; i-- {
		hops := strings.Split(string(forwarded[i]), ",")
		for j := len(hops) - 1; j >= 0; j-- {
			a, ok := parseHop(hops[j])
			if !ok {
				return client // not an address a proxy wrote: stop at the last trusted one
			}
			if !cl.trusts(a) {
				return a
			}
			client = a
		}
	}
	return client
}

func (cl Clients) trusts(a netip.Addr) bool {
	for _, p := range cl.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseHop reads one X-Forwarded-For entry: an address, with or without a
// port ("192.0.2.1:443", "[2001:db8::1]:443").
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// KeyOf is a's key: IPv4 as it is, IPv6 as its /64.
func KeyOf(a netip.Addr) string {
	a = a.Unmap()
	if !a.IsValid() {
		return "unknown"
	}
	if a.Is6() {
		p, _ := a.WithZone("").Prefix(64)
		return p.String()
	}
	return a.String()
}
