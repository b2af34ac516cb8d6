package httpx

import (
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestClientAddrAndKey(t *testing.T) {
	lb := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24"), netip.MustParsePrefix("fd00::/8")}
	for _, tc := range []struct {
		name, peer string
		proxies    []netip.Prefix
		xff        []string
		want       string
	}{
		{"no proxies: the peer, whatever it forwards", "203.0.113.7", nil, []string{"198.51.100.1"}, "203.0.113.7"},
		{"untrusted peer", "203.0.113.7", lb, []string{"198.51.100.1"}, "203.0.113.7"},
		{"behind the balancer", "10.0.0.5", lb, []string{"198.51.100.1"}, "198.51.100.1"},
		{"a client's own entry is not believed", "10.0.0.5", lb, []string{"6.6.6.6, 198.51.100.1"}, "198.51.100.1"},
		{"two proxies", "10.0.0.5", lb, []string{"6.6.6.6, 198.51.100.1, 10.0.0.9"}, "198.51.100.1"},
		{"header lines read as one list", "10.0.0.5", lb, []string{"6.6.6.6", "198.51.100.1", "10.0.0.9"}, "198.51.100.1"},
		{"ports", "10.0.0.5", lb, []string{"198.51.100.1:5555, [fd00::1]:443"}, "198.51.100.1"},
		{"no header: the proxy itself", "10.0.0.5", lb, nil, "10.0.0.5"},
		{"garbage from the proxy: the proxy", "10.0.0.5", lb, []string{"198.51.100.1, unknown"}, "10.0.0.5"},
		{"only proxies: the farthest", "10.0.0.5", lb, []string{"10.0.0.7, 10.0.0.9"}, "10.0.0.7"},
		{"IPv6 by /64", "10.0.0.5", lb, []string{"2001:db8:1:2:3:4:5:6"}, "2001:db8:1:2::/64"},
		{"IPv4-mapped", "::ffff:10.0.0.5", lb, []string{"::ffff:198.51.100.1"}, "198.51.100.1"},
		{"IPv6 peer", "2001:db8:a:b::1", nil, nil, "2001:db8:a:b::/64"},
	} {
		var lines [][]byte
		for _, l := range tc.xff {
			lines = append(lines, []byte(l))
		}
		peer := netip.MustParseAddr(tc.peer).Unmap()
		if got := KeyOf(NewClients(tc.proxies).Addr(peer, lines)); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	if KeyOf(netip.Addr{}) != "unknown" {
		t.Error("an invalid address needs a key too")
	}
}

// Every per-client limit counts by ClientKey: Fiber's c.IP() is the
// balancer's address (one limit for everyone) or, trusting proxies, the
// left end of X-Forwarded-For (any client writes it).
func TestNoLimitUsesRawIP(t *testing.T) {
	root := filepath.Join("..", "..")
	raw := regexp.MustCompile(`\.(IP|IPs)\(\)`)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() && (d.Name() == ".tools" || d.Name() == ".git" || d.Name() == ".data") {
			if err == nil {
				return filepath.SkipDir
			}
			return err
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, filepath.Join("internal", "httpx", "client.go")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if loc := raw.FindIndex(b); loc != nil {
			t.Errorf("%s uses %s: use httpx.ClientKey", path, b[loc[0]:loc[1]])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
