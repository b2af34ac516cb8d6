package app_test

import (
	"net/netip"
	"strconv"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/config"
)

// Issue 14, finding 2: behind a trusted load balancer each client has its own
// limits, keyed by the address the balancer saw (the right end of
// X-Forwarded-For), IPv6 clients by their /64. Before the fix every client
// behind the balancer shared the balancer's address: one limit for all.
func TestClientsBehindTrustedProxy(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Configure: func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	}})
	in.OfficerToken(t, "JKS", "jks.lb", "desk")
	login := func(in *apptest.Instance, password, xff string) int {
		return in.Do(t, "POST", "/api/v1/backoffice/login", "", map[string]string{"username": "jks.lb", "password": password},
			"X-Forwarded-For", xff).Status
	}
	for i := 0; i < 5; i++ {
		if s := login(in, "nope-nope-nope", "203.0.113.10"); s != 401 {
			t.Fatalf("wrong password %d: %d", i+1, s)
		}
	}
	// What the client itself wrote to the left of the balancer's entry is not believed.
	if s := login(in, "nope-nope-nope", "198.51.100.1, 203.0.113.10"); s != 429 {
		t.Fatalf("the same client with a spoofed X-Forwarded-For: %d, want 429", s)
	}
	if s := login(in, "correct-horse-battery", "203.0.113.11"); s != 200 {
		t.Fatalf("another client behind the balancer: %d, want 200", s)
	}

	// IPv6: one /64 is one client.
	for i := 0; i < 5; i++ {
		login(in, "nope-nope-nope", "2001:db8:1:2::1")
	}
	if s := login(in, "nope-nope-nope", "2001:db8:1:2:ffff::9"); s != 429 {
		t.Fatalf("another address of the same /64: %d, want 429", s)
	}
	if s := login(in, "nope-nope-nope", "2001:db8:1:3::1"); s != 401 {
		t.Fatalf("another /64: %d, want 401", s)
	}

	// A peer that is not a trusted proxy is the client, whatever it forwards.
	direct := in.From("127.0.0.2")
	for i := 0; i < 5; i++ {
		login(direct, "nope-nope-nope", "192.0.2."+strconv.Itoa(i))
	}
	if s := login(direct, "nope-nope-nope", "192.0.2.200"); s != 429 {
		t.Fatalf("an untrusted peer naming a fresh X-Forwarded-For: %d, want 429", s)
	}
}
