// Package smstest is a fake Twilio for tests and benchmarks: an HTTP server
// on loopback that speaks the two Messages API calls SPPT makes (create and
// list), records every request, and can be told to fail.
package smstest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Message is one message the fake accepted.
type Message struct {
	Sid, To, From, Body, MessagingService, StatusCallback, ValidityPeriod string
	// At is when the request reached the fake, taken before anything else
	// is done with it, so that rate measurements count the sender's pacing
	// rather than the fake's own work (auth, form parsing, locking).
	At time.Time
}

// Outcome is what the fake answers to one create request.
type Outcome int

const (
	Accept        Outcome = iota
	TooMany               // 429, error 20429: not accepted
	ServerError           // 500: not accepted
	AcceptThen500         // accepted and recorded, but answered 500 (the ambiguous case)
	Unsubscribed          // 400, error 21610
)

// Twilio is the fake server.
type Twilio struct {
	URL     string
	Account string
	Token   string

	mu       sync.Mutex
	srv      *http.Server
	ln       net.Listener
	accepted []Message
	creates  int
	lists    int
	// Plan decides the outcome of the n-th create request (0-based); nil: Accept.
	Plan func(n int, to string) Outcome
	// Delay holds each create's answer after the message is recorded, so a
	// killed client has requests Twilio accepted but never answered.
	Delay time.Duration
}

// Start runs a fake on 127.0.0.1 until Close.
func Start(account, token string) (*Twilio, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &Twilio{URL: "http://" + ln.Addr().String(), Account: account, Token: token, ln: ln}
	f.srv = &http.Server{Handler: f}
	go f.srv.Serve(ln)
	return f, nil
}

// Close stops the server.
func (f *Twilio) Close() { _ = f.srv.Close() }

func (f *Twilio) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	want := "/2010-04-01/Accounts/" + f.Account + "/Messages.json"
	user, pass, ok := r.BasicAuth()
	switch {
	case r.URL.Path != want:
		writeErr(w, 404, 20404, "not found")
	case !ok || user != f.Account || pass != f.Token:
		writeErr(w, 401, 20003, "authenticate")
	case r.Method == http.MethodPost:
		f.create(w, r, arrived)
	case r.Method == http.MethodGet:
		f.list(w, r)
	default:
		writeErr(w, 405, 20004, "method not allowed")
	}
}

func writeErr(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg, "status": status, "more_info": "https://www.twilio.com/docs/errors/" + fmt.Sprint(code)})
}

func (f *Twilio) create(w http.ResponseWriter, r *http.Request, arrived time.Time) {
	if err := r.ParseForm(); err != nil {
		writeErr(w, 400, 21100, "bad form")
		return
	}
	m := Message{To: r.PostForm.Get("To"), From: r.PostForm.Get("From"), Body: r.PostForm.Get("Body"),
		MessagingService: r.PostForm.Get("MessagingServiceSid"), StatusCallback: r.PostForm.Get("StatusCallback"),
		ValidityPeriod: r.PostForm.Get("ValidityPeriod"), At: arrived}
	f.mu.Lock()
	n := f.creates
	f.creates++
	outcome := Accept
	if f.Plan != nil {
		outcome = f.Plan(n, m.To)
	}
	if outcome == Accept || outcome == AcceptThen500 {
		m.Sid = fmt.Sprintf("SM%032d", len(f.accepted)+1)
		f.accepted = append(f.accepted, m)
	}
	delay := f.Delay
	f.mu.Unlock()
	switch outcome {
	case TooMany:
		writeErr(w, 429, 20429, "Too Many Requests")
		return
	case ServerError:
		writeErr(w, 500, 20500, "Internal Server Error")
		return
	case Unsubscribed:
		writeErr(w, 400, 21610, "Attempt to send to unsubscribed recipient")
		return
	}
	if delay > 0 {
		time.Sleep(delay)
	}
	if outcome == AcceptThen500 {
		writeErr(w, 500, 20500, "Internal Server Error")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(201)
	_ = json.NewEncoder(w).Encode(resource(m))
}

func resource(m Message) map[string]any {
	return map[string]any{"sid": m.Sid, "to": m.To, "from": m.From, "body": m.Body, "status": "queued",
		"date_created": m.At.UTC().Format(time.RFC1123Z), "num_segments": "1"}
}

// list answers GET Messages.json?To=…, newest first.
func (f *Twilio) list(w http.ResponseWriter, r *http.Request) {
	to := r.URL.Query().Get("To")
	f.mu.Lock()
	f.lists++
	var out []map[string]any
	for i := len(f.accepted) - 1; i >= 0 && len(out) < 50; i-- {
		if to == "" || f.accepted[i].To == to {
			out = append(out, resource(f.accepted[i]))
		}
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"messages": out, "page": 0, "page_size": 50})
}

// Accepted returns a copy of every accepted message, oldest first.
func (f *Twilio) Accepted() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Message(nil), f.accepted...)
}

// Creates is how many create requests arrived (accepted or not).
func (f *Twilio) Creates() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.creates
}

// Lists is how many list requests arrived.
func (f *Twilio) Lists() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lists
}

// PerRecipient counts accepted messages by recipient.
func (f *Twilio) PerRecipient() map[string]int {
	out := map[string]int{}
	for _, m := range f.Accepted() {
		out[m.To]++
	}
	return out
}

// Sign computes X-Twilio-Signature the way Twilio does: base64 HMAC-SHA1
// with the auth token over the full URL followed by every POST parameter's
// name and value, sorted by name.
func Sign(token, fullURL string, params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range keys {
		b.WriteString(k)
		b.WriteString(params.Get(k))
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
