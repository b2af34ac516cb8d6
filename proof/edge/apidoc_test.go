package edge_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
)

// apiOp is one operation of the served OpenAPI document.
type apiOp struct {
	Method, Path string   // Path in OpenAPI form: /api/v1/bookings/{code}
	Auth         string   // citizen, officer, device or ""
	PathParams   []string // in order
	Query        []string
	Props        map[string]string // request body property → JSON type
}

// apiOps reads GET /api/v1/openapi.json, as a client would.
func apiOps(t testing.TB, in *apptest.Instance) []apiOp {
	t.Helper()
	type schema struct {
		Properties map[string]struct{ Type string }
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Security    []map[string]any
			Parameters  []struct{ Name, In string }
			RequestBody struct {
				Content map[string]struct{ Schema schema }
			}
		}
	}
	in.Do(t, "GET", "/api/v1/openapi.json", "", nil).JSON(t, &doc)
	var ops []apiOp
	for p, methods := range doc.Paths {
		for m, o := range methods {
			op := apiOp{Method: strings.ToUpper(m), Path: p, Props: map[string]string{}}
			for _, s := range o.Security {
				for k := range s {
					op.Auth = k
				}
			}
			for _, prm := range o.Parameters {
				if prm.In == "path" {
					op.PathParams = append(op.PathParams, prm.Name)
				} else {
					op.Query = append(op.Query, prm.Name)
				}
			}
			for _, c := range o.RequestBody.Content {
				for name, prop := range c.Schema.Properties {
					op.Props[name] = prop.Type
				}
			}
			ops = append(ops, op)
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].Path+ops[i].Method < ops[j].Path+ops[j].Method })
	return ops
}

// path fills an operation's {params} with vals (by name; "code" by what it
// names: an office or a booking).
func (op apiOp) path(vals func(op apiOp, name string) string) string {
	p := op.Path
	for _, name := range op.PathParams {
		p = strings.Replace(p, "{"+name+"}", vals(op, name), 1)
	}
	return p
}

// validBody is a body of the right types (values may still be refused).
func (op apiOp) validBody() map[string]any {
	b := map[string]any{}
	for name, typ := range op.Props {
		b[name] = sample(typ)
	}
	return b
}

func sample(typ string) any {
	switch typ {
	case "integer":
		return 1
	case "number":
		return 1.5
	case "boolean":
		return true
	case "array":
		return []any{}
	case "object":
		return map[string]any{}
	}
	return "x"
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
