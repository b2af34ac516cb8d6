// Package edge_test proves the edge of SPPT (issue 14, part 2): guessing and
// SMS pumping stay within the stated limits, every page form refuses a
// cross-site post, every page carries the security headers, the logs hold
// no personal data, and every 4xx under /api/ is the contract's JSON error.
// Routes come from the running app's router and OpenAPI document, so a new
// route is covered (or fails the proof) without editing a list here.
package edge_test

import (
	"sort"
	"strings"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
)

// allRoles is every role an officer of an office may hold together (a regional
// head and a national admin hold theirs alone), so a page's role check never hides what is proved.
var allRoles = []string{"desk", "biometric", "adjudicator", "supervisor", "cashier", "printer", "validator",
	"pickup", "admin"}

// route is one METHOD and path pattern of the router.
type route struct{ Method, Path string }

func (r route) String() string { return r.Method + " " + r.Path }

// pageRoutes are the router's page routes of method: everything outside
// /api/, static assets and the operations endpoints.
func pageRoutes(in *apptest.Instance, method string) []route {
	seen := map[route]bool{}
	var out []route
	for _, r := range in.App.HTTP().GetRoutes(true) {
		rt := route{r.Method, r.Path}
		if r.Method != method || seen[rt] || !isPage(r.Path) {
			continue
		}
		seen[rt] = true
		out = append(out, rt)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func isPage(p string) bool {
	switch p {
	case "/healthz", "/readyz", "/metrics", "/favicon.ico":
		return false
	}
	return !strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/static")
}

// fill puts values into a path pattern's :params (a constraint such as
// <int> dropped); a param without a value is left for the caller to see.
func fill(pattern string, vals map[string]string) string {
	parts := strings.Split(pattern, "/")
	for i, p := range parts {
		if !strings.HasPrefix(p, ":") {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, ":"), "?")
		if v, ok := vals[name]; ok { // a constrained one first: "id<int>"
			parts[i] = v
			continue
		}
		if j := strings.IndexAny(name, "<?"); j >= 0 {
			name = name[:j]
		}
		if v, ok := vals[name]; ok {
			parts[i] = v
		}
	}
	return strings.Join(parts, "/")
}
