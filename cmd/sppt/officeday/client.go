package officeday

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// client speaks JSON to the instances, spreading callers over them.
type client struct {
	urls    []string
	http    *http.Client
	log     *errorLog
	retried atomic.Int64 // 503s sent again
}

type answer struct {
	status int
	body   []byte
}

func (a answer) into(v any) error { return json.Unmarshal(a.body, v) }

func newClient(urls []string, log *errorLog) *client {
	tr := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 128, IdleConnTimeout: time.Minute}
	return &client{urls: urls, http: &http.Client{Transport: tr, Timeout: 30 * time.Second}, log: log}
}

// do sends one request to instance n (mod the instances); body is JSON
// unless it is []byte (sent as is). Network errors are an answer of 0. A
// 503 with Retry-After ("nothing changed, send again": the database was
// busy) is sent again after that many seconds, twice at most, as a kiosk
// or a counter's screen does.
func (c *client) do(ctx context.Context, n int, method, path, token string, body any, header ...string) answer {
	var raw []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	default:
		raw, _ = json.Marshal(b)
	}
	for try := 0; ; try++ {
		a, after := c.once(ctx, n, method, path, token, body != nil, raw, header)
		if a.status != http.StatusServiceUnavailable || after <= 0 || try == 2 {
			return a
		}
		c.retried.Add(1)
		select {
		case <-ctx.Done():
			return a
		case <-time.After(after):
		}
	}
}

func (c *client) once(ctx context.Context, n int, method, path, token string, hasBody bool, raw []byte, header []string) (answer, time.Duration) {
	var r io.Reader
	if hasBody {
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.urls[n%len(c.urls)]+path, r)
	if err != nil {
		return answer{}, 0
	}
	if hasBody {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			c.log.add(fmt.Sprintf("%s %s: %v", method, path, err))
		}
		return answer{}, 0
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	secs, _ := strconv.Atoi(res.Header.Get("Retry-After"))
	return answer{status: res.StatusCode, body: b}, time.Duration(secs) * time.Second
}

// expect is do that counts any other status as an error.
func (c *client) expect(ctx context.Context, n int, want int, method, path, token string, body any, header ...string) (answer, bool) {
	a := c.do(ctx, n, method, path, token, body, header...)
	if a.status != want {
		if ctx.Err() == nil && a.status != 0 {
			c.log.add(fmt.Sprintf("%s %s: %d %.200s", method, path, a.status, a.body))
		}
		return a, false
	}
	return a, true
}

// errorLog keeps the first unexpected answers and counts them all.
type errorLog struct {
	mu    sync.Mutex
	n     int
	first []string
}

func (l *errorLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	if len(l.first) < 10 {
		l.first = append(l.first, s)
	}
}

func (l *errorLog) count() (int, []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n, append([]string(nil), l.first...)
}

// officers signs in the demo officers, once per role, again after a 401.
type officers struct {
	c      *client
	op     Operator
	office string
	mu     sync.Mutex
	tokens map[string]string
}

func (o *officers) token(ctx context.Context, role string, fresh bool) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	if t, ok := o.tokens[role]; ok && !fresh {
		return t
	}
	user, pass := o.op.Officer(o.office, role)
	a, ok := o.c.expect(ctx, 0, 200, "POST", "/api/v1/backoffice/login", "", map[string]string{"username": user, "password": pass})
	var out struct{ Token string }
	if !ok || a.into(&out) != nil {
		return ""
	}
	o.tokens[role] = out.Token
	return out.Token
}

// do is client.do as role's officer, signing in again once on a 401 (an
// officer's token lasts 12 simulated hours).
func (o *officers) do(ctx context.Context, n int, role, method, path string, body any) answer {
	a := o.c.do(ctx, n, method, path, o.token(ctx, role, false), body)
	if a.status == http.StatusUnauthorized {
		a = o.c.do(ctx, n, method, path, o.token(ctx, role, true), body)
	}
	return a
}

func (o *officers) expect(ctx context.Context, n int, want int, role, method, path string, body any) (answer, bool) {
	a := o.do(ctx, n, role, method, path, body)
	if a.status != want {
		if ctx.Err() == nil && a.status != 0 {
			o.c.log.add(fmt.Sprintf("%s %s as %s: %d %.200s", method, path, role, a.status, a.body))
		}
		return a, false
	}
	return a, true
}
