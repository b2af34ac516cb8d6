package attacks

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/proof/prooftest"
)

// public are the id-taking routes with no caller to refuse: anyone may
// read an office's queue and quota. An application's stage is behind its
// applicant's birth date: its fixture sends the wrong one. A new public id
// route must be added here by someone who decided it is public.
var public = map[string]bool{
	"GET /api/v1/offices/{code}/feed":                  true,
	"GET /api/v1/offices/{code}/next":                  true,
	"GET /api/v1/offices/{code}/queue":                 true,
	"GET /api/v1/offices/{code}/quota":                 true,
	"GET /api/v1/offices/{code}/running-text":          true,
	"GET /api/v1/applications/{application_no}/status": true,
}

// route is one operation of the OpenAPI document.
type route struct {
	key  string // "METHOD /path/{param}"
	auth string // citizen, officer, device or "" (public)
}

// idRoutes walks the document the instance serves for every operation
// whose path takes a parameter.
func idRoutes(t testing.TB, in *apptest.Instance) []route {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]struct {
			Security []map[string][]string `json:"security"`
		} `json:"paths"`
	}
	in.Do(t, "GET", "/api/v1/openapi.json", "", nil).JSON(t, &doc)
	var out []route
	for p, ops := range doc.Paths {
		if !strings.Contains(p, "{") {
			continue
		}
		for m, op := range ops {
			r := route{key: strings.ToUpper(m) + " " + p}
			for _, s := range op.Security {
				for k := range s {
					r.auth = k
				}
			}
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// actor is one caller sent at a fixture (at path instead, when set).
type actor struct{ name, token, path string }

// wrongActors are the callers route r must refuse for fixture f.
func (w *world) wrongActors(r route, f fixture) []actor {
	A := w.officer[officeA]
	var out []actor
	add := func(name, tok string) {
		if tok != "" {
			out = append(out, actor{name: name, token: tok})
		}
	}
	for _, name := range sortedKeys(f.wrongPaths) {
		out = append(out, actor{name: name, token: f.owner, path: f.wrongPaths[name]})
	}
	if r.auth == "" { // a public route: its guard is in the path, not a token
		return out
	}
	switch r.auth {
	case "citizen":
		add("another citizen", f.peer)
		add("officer token", A["desk"])
		add("device token", w.device[officeA]["kiosk"])
	case "officer":
		add("another office's officer", f.peer)
		add("officer without the role", f.role)
		if f.peer != w.headB {
			add("another region's head", w.headB)
		}
		add("device token", w.device[officeA]["kiosk"])
		add("citizen token", w.owner)
	case "device":
		add("another office's device", f.peer)
		add("device of another kind", f.kind)
		add("officer token", A["admin"])
		add("citizen token", w.owner)
	}
	return append(out, actor{name: "no token"})
}

// refused is a 401, 403 or 404 in the contract's error shape.
func refused(r apptest.Response) bool {
	if r.Status != 401 && r.Status != 403 && r.Status != 404 {
		return false
	}
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	return json.Unmarshal(r.Body, &e) == nil && e.Error.Code != "" && e.Error.Message != ""
}

// TestAuthorisationMatrix sends every id-taking route of the document at
// a real resource of office A as each wrong actor (all refused, never 2xx,
// never 500) and as the rightful one (not refused, so the fixture is real).
func TestAuthorisationMatrix(t *testing.T) {
	w := newWorld(t)
	fx := w.fixtures()
	routes := idRoutes(t, w.in)
	var attacked, guarded, wrong, refusedN, relative, rightful, admitted, missing int
	byAuth := map[string]int{}
	seen := map[string]bool{}
	for _, r := range routes {
		seen[r.key] = true
		f, ok := fx[r.key]
		switch {
		case public[r.key] && r.auth == "" && !ok:
			continue // public, nothing to guard
		case !ok:
			missing++
			t.Errorf("%s (auth %q): an id-taking route with no fixture in the matrix", r.key, r.auth)
			continue
		}
		attacked++
		byAuth[r.auth]++
		if r.auth == "" {
			guarded++
		}
		for _, a := range w.wrongActors(r, f) {
			wrong++
			var before string
			if f.scoped != nil && a.token == f.peer {
				before = f.scoped()
			}
			path := f.path
			if a.path != "" {
				path = a.path
			}
			got := w.in.Do(t, method(r.key), path, a.token, f.body)
			switch {
			case refused(got):
				refusedN++
			case before != "" && got.Status < 500 && f.scoped() == before:
				refusedN++ // its own office's booth: office A's untouched
				relative++
			default:
				t.Errorf("%s as %s: %d %.200s (want 401/403/404 in the error shape)", r.key, a.name, got.Status, got.Body)
			}
		}
		rightful++
		got := w.in.Do(t, method(r.key), f.path, f.owner, f.body)
		if got.Status == 401 || got.Status == 403 || got.Status == 404 || got.Status >= 500 {
			t.Errorf("%s as its rightful actor: %d %.200s (the fixture is not real)", r.key, got.Status, got.Body)
		} else {
			admitted++
		}
	}
	for k := range fx {
		if !seen[k] {
			t.Errorf("fixture %s is for a route the document no longer has", k)
		}
	}
	prooftest.Line(t, "attacks", fmt.Sprintf("authorisation matrix over %d id routes × actors", attacked),
		refusedN+admitted, wrong+rightful+missing,
		prooftest.Figure("refused", fmt.Sprintf("%d/%d wrong", refusedN, wrong)),
		prooftest.Figure("rightful", fmt.Sprintf("%d/%d admitted", admitted, rightful)),
		prooftest.Figure("officer", byAuth["officer"]), prooftest.Figure("device", byAuth["device"]),
		prooftest.Figure("citizen", byAuth["citizen"]), prooftest.Figure("public", fmt.Sprintf("%d (%d guarded)", len(public), guarded)),
		prooftest.Figure("office-relative untouched", relative), prooftest.Figure("unfixtured", missing))
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func method(key string) string { m, _, _ := strings.Cut(key, " "); return m }
