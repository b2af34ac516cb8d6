package edge_test

import (
	"bytes"
	"net/url"
	"strings"
)

// badReq is one request an input makes of an operation.
type badReq struct {
	path, query string
	body        []byte
	ctype       string
	auth        string // the Authorization header; "-" for the operation's right token
	headers     map[string]string
}

// badInput is one kind of bad input, applied to any operation.
type badInput struct {
	name string
	make func(op apiOp, base badReq) badReq
}

func withBody(ctype string, body []byte) func(apiOp, badReq) badReq {
	return func(_ apiOp, r badReq) badReq { r.body, r.ctype = body, ctype; return r }
}

// eachProp sets every body property (or one named "x" when the body has
// none) to v of its type.
func eachProp(v func(typ string) any) func(apiOp, badReq) badReq {
	return func(op apiOp, r badReq) badReq {
		b := op.validBody()
		if len(op.Props) == 0 {
			b["x"] = v("string")
		}
		for name, typ := range op.Props {
			b[name] = v(typ)
		}
		r.body, r.ctype = mustJSON(b), "application/json"
		return r
	}
}

// eachParam replaces every path parameter (an operation without any gets
// a query parameter instead).
func eachParam(v string) func(apiOp, badReq) badReq {
	return func(op apiOp, r badReq) badReq {
		if len(op.PathParams) == 0 {
			r.query = "zzz=" + v
			return r
		}
		r.path = op.path(func(apiOp, string) string { return v })
		return r
	}
}

// eachQuery sets every documented query parameter to raw (already encoded).
func eachQuery(raw string) func(apiOp, badReq) badReq {
	return func(op apiOp, r badReq) badReq {
		q := []string{}
		for _, name := range op.Query {
			q = append(q, name+"="+raw)
		}
		if len(q) == 0 {
			q = append(q, "unknown="+raw)
		}
		r.query = strings.Join(q, "&")
		return r
	}
}

func withAuth(h string) func(apiOp, badReq) badReq {
	return func(_ apiOp, r badReq) badReq { r.auth = h; return r }
}

func withHeader(k, v string) func(apiOp, badReq) badReq {
	return func(op apiOp, r badReq) badReq {
		r.body, r.ctype = mustJSON(op.validBody()), "application/json"
		r.headers = map[string]string{k: v}
		return r
	}
}

// badInputs are the kinds of bad input; every one is sent to every route.
func badInputs() []badInput {
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	huge := bytes.Repeat([]byte("a"), 2<<20)
	long := strings.Repeat("ä", 100000)
	wrongType := func(typ string) any {
		switch typ {
		case "string":
			return 12345
		case "array":
			return "not-a-list"
		case "object":
			return []int{1}
		}
		return "not-a-number"
	}
	return []badInput{
		{"malformed JSON", withBody("application/json", []byte(`{"a":`))},
		{"JSON array", withBody("application/json", []byte(`[1,2,3]`))},
		{"JSON string", withBody("application/json", []byte(`"x"`))},
		{"JSON null", withBody("application/json", []byte(`null`))},
		{"empty body", withBody("application/json", []byte{})},
		{"missing fields", withBody("application/json", []byte(`{}`))},
		{"wrong types", eachProp(wrongType)},
		{"NUL in strings", eachProp(func(string) any { return "a\x00b" })},
		{"body over the limit", withBody("application/json", huge)},
		{"deep nesting", withBody("application/json", []byte(deep))},
		{"long strings", eachProp(func(string) any { return long })},
		{"invalid UTF-8", withBody("application/json", []byte("{\"x\":\"\xff\xfe\xfd\"}"))},
		{"text/plain body", withBody("text/plain", []byte(`{}`))},
		{"form body", withBody("application/x-www-form-urlencoded", []byte("a=1&b=%00&c=%zz"))},
		{"trailing garbage", withBody("application/json", []byte(`{} garbage`))},
		{"number overflow", eachProp(func(string) any { return json_(`1e400`) })},
		{"huge integers", eachProp(func(string) any { return json_(`99999999999999999999999`) })},
		{"negative numbers", eachProp(func(string) any { return -1 })},
		{"unknown fields", func(op apiOp, r badReq) badReq {
			b := op.validBody()
			b["zzz_unknown"] = map[string]any{"a": []any{1, "x", nil}}
			r.body, r.ctype = mustJSON(b), "application/json"
			return r
		}},
		{"byte-order mark", withBody("application/json", []byte("\xef\xbb\xbf{}"))},
		{"duplicate keys", withBody("application/json", []byte(`{"a":1,"a":"x","b":{},"b":[]}`))},
		{"raw NUL byte", withBody("application/json", []byte("{\"a\":\"\x00\"}\x00"))},
		{"multipart without boundary", withBody("multipart/form-data", []byte("--x\r\n"))},
		{"unknown ids", eachParam("ZZZ-999999-9999")},
		{"NUL in path", eachParam("%00")},
		{"long path parameter", eachParam(strings.Repeat("A", 5000))},
		{"invalid UTF-8 in path", eachParam("%ff%fe")},
		{"traversal in path", eachParam("..%2F..%2Fetc%2Fpasswd")},
		{"numeric overflow in path", eachParam("99999999999999999999999")},
		{"negative in path", eachParam("-1")},
		{"unicode in path", eachParam(url.PathEscape("数字ÄÖ"))},
		{"word for every query parameter", eachQuery("x")},
		{"impossible dates in query", eachQuery("2026-13-45")},
		{"long query", eachQuery(strings.Repeat("9", 20000))},
		{"NUL in query", eachQuery("%00")},
		{"bad escapes in query", eachQuery("%zz%")},
		{"negative in query", eachQuery("-999999999999")},
		{"no token", withAuth("")},
		{"garbage token", withAuth("Bearer not-a-token")},
		{"token of another audience", withAuth("other")},
		{"other auth scheme", withAuth("Basic dXNlcjpwYXNz")},
		{"Accept: text/html", withHeader("Accept", "text/html")},
		{"headers too large", withHeader("X-Padding", strings.Repeat("p", 20000))},
	}
}

// json_ is a raw JSON value inside a map marshalled with mustJSON.
type json_ string

func (j json_) MarshalJSON() ([]byte, error) { return []byte(j), nil }
