// Package fuzzbody fuzzes every operation of the OpenAPI document with
// arbitrary bodies, query strings and path ids against a running instance
// (issue 14, part 2, item 4): whatever arrives, the answer is never a 5xx
// (a 503 with Retry-After aside), and every 4xx is the contract's JSON error
// shape. Tokens of every kind go along, so the bodies reach the validation
// behind authentication. In `make test` the seed corpus runs; `make proof`
// fuzzes it for a fixed time.
package fuzzbody

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/devices"
	"github.com/sppt/sppt/internal/clock"
)

type operation struct {
	method, path, auth string
	form               bool
}

// operations reads the served document, leaving out the streams (an
// answer that never ends is not a body to check).
func operations(t testing.TB, in *apptest.Instance) []operation {
	r := in.Do(t, "GET", "/api/v1/openapi.json", "", nil)
	var doc struct {
		Paths map[string]map[string]struct {
			Security    []map[string]any
			RequestBody struct{ Content map[string]any }
			Responses   map[string]struct{ Content map[string]any }
		}
	}
	r.JSON(t, &doc)
	var ops []operation
	for p, methods := range doc.Paths {
		for m, o := range methods {
			if _, sse := o.Responses["200"].Content["text/event-stream"]; sse {
				continue
			}
			op := operation{method: strings.ToUpper(m), path: "/api/v1" + p}
			for _, s := range o.Security {
				for k := range s {
					op.auth = k
				}
			}
			_, op.form = o.RequestBody.Content["application/x-www-form-urlencoded"]
			ops = append(ops, op)
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].method+ops[i].path < ops[j].method+ops[j].path })
	if len(ops) < 20 {
		t.Fatalf("only %d operations in the document", len(ops))
	}
	return ops
}

var param = regexp.MustCompile(`\{[^}]+\}`)

type fixture struct {
	in      *apptest.Instance
	ops     []operation
	officer string
	citizen string
	devices []string // one per kind
}

func setUp(f *testing.F) *fixture {
	in := apptest.Start(f, apptest.DB(f), apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	in.OpenDay(f, "JKS", "2026-03-04", 20, 20)
	x := &fixture{in: in, ops: operations(f, in)}
	x.officer = in.OfficerToken(f, "JKS", "fuzz-officer", "desk", "biometric", "adjudicator", "supervisor", "cashier", "printer", "validator", "pickup", "admin")
	x.citizen = in.CitizenToken(f, "+6281200000001")
	for _, k := range devices.Kinds {
		x.devices = append(x.devices, in.DeviceToken(f, "JKS", k, "fuzz "+k))
	}
	return x
}

// FuzzAPIBodies: op picks the operation, id fills its path parameters,
// who picks the token's kind among those that apply.
func FuzzAPIBodies(f *testing.F) {
	x := setUp(f)
	// Three bodies for every operation, the odder ones spread over them: a
	// larger seed corpus spends a short fuzzing time on its baseline.
	odd := []string{`{"phone":"081234567890"}`, `[]`, "null", `{"nik":"\u0000"}`, "office=JKS&date=2026-03-04", `{"code":1e999}`}
	for i := range x.ops {
		for _, b := range []string{"{}", `{"office":"JKS","date":"2026-03-04","service":"new"}`, odd[i%len(odd)]} {
			f.Add(uint16(i), "JKS", uint8(i), []byte(b), "")
		}
	}
	f.Add(uint16(0), "../../admin", uint8(0), []byte("{}"), "date=2026-02-30&office=%00")
	client := &http.Client{Timeout: 20 * time.Second}
	f.Fuzz(func(t *testing.T, opIndex uint16, id string, who uint8, body []byte, query string) {
		op := x.ops[int(opIndex)%len(x.ops)]
		path := param.ReplaceAllLiteralString(op.path, url.PathEscape(id))
		req, err := http.NewRequest(op.method, x.in.URL+path+"?"+url.PathEscape(query), bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", map[bool]string{true: "application/x-www-form-urlencoded", false: "application/json"}[op.form])
		if tok := x.token(op.auth, who); tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", op.method, path, err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err := checkAnswer(resp, raw); err != nil {
			t.Fatalf("%s %s body %q query %q: %v", op.method, path, body, query, err)
		}
	})
}

func (x *fixture) token(auth string, who uint8) string {
	switch auth {
	case "citizen":
		return x.citizen
	case "officer":
		return x.officer
	case "device":
		return x.devices[int(who)%len(x.devices)]
	}
	return ""
}

// checkAnswer is the contract: no 5xx but a 503 that says when to retry;
// every 4xx a JSON error with a code and a message.
func checkAnswer(resp *http.Response, raw []byte) error {
	switch s := resp.StatusCode; {
	case s == 503 && resp.Header.Get("Retry-After") != "":
		return nil
	case s >= 500:
		return fmt.Errorf("status %d: %s", s, raw)
	case s < 400:
		return nil
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("status %d with Content-Type %q: %.200s", resp.StatusCode, ct, raw)
	}
	var e struct {
		Error struct {
			Code, Message string
			Fields        map[string]string
		}
	}
	if err := json.Unmarshal(raw, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		return fmt.Errorf("status %d is not the error shape: %.200s", resp.StatusCode, raw)
	}
	if slices.Contains([]string{"", "null"}, strings.TrimSpace(e.Error.Message)) {
		return fmt.Errorf("empty message: %s", raw)
	}
	return nil
}
