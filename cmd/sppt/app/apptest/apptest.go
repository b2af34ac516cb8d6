// Package apptest starts real SPPT instances for tests: an isolated
// PostgreSQL database (migrated and seeded with reference data) and the whole
// app serving HTTP, workers and scheduler on a loopback port.
package apptest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/internal/testdb"
	"github.com/sppt/sppt/quota"
)

// DB returns a fresh database with migrations and reference data.
func DB(t testing.TB) string {
	t.Helper()
	return testdb.New(t, testdb.Seed{Name: referenceHash(), Fn: app.SeedReference})
}

// referenceHash names the seeded template after the seed data, so changed
// reference data gets a new template.
func referenceHash() string {
	b, _ := json.Marshal([]any{quota.ReferenceOffices, fmt.Sprint(quota.Holidays2026), fmt.Sprint(billing.Fees2024)})
	h := sha256.Sum256(b)
	return "reference-" + hex.EncodeToString(h[:6])
}

// LogBuffer is a log sink safe for the server's goroutines (Options.LogTo).
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Tail is the last n bytes written, for a failure message.
func (l *LogBuffer) Tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.b.Bytes()
	return string(b[max(0, len(b)-n):])
}

// Instance is one running SPPT process inside the test.
type Instance struct {
	URL   string // http://127.0.0.1:port
	App   *app.App
	Pool  *pgxpool.Pool
	DBURL string
	// client sends Do's requests (nil: http.DefaultClient); From sets it.
	client *http.Client
}

// From is in as another client sees it: requests leave from localIP, another
// loopback address such as 127.0.0.2 (Linux answers on all of 127.0.0.0/8),
// so the server's per-address limits count them apart.
func (in *Instance) From(localIP string) *Instance {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(localIP)}, Timeout: 5 * time.Second}
	tr := &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 32}
	out := *in
	out.client = &http.Client{Transport: tr}
	return &out
}

// Options configure Start.
type Options struct {
	Clock     clock.Clock // default: the system clock
	Roles     *app.Roles  // default: all
	Configure func(*config.Config)
	LogTo     io.Writer // capture the instance's logs (JSON, debug level)
	DemoSMS   io.Writer // app.Options.DemoSMS (what `sppt dev` prints)
	// Wire adjusts the built app before it serves (e.g. a stand-in for a
	// domain another branch builds); set here, it races with no request.
	Wire func(*app.App)
}

// Start runs an instance on dbURL until the test ends.
func Start(t testing.TB, dbURL string, opt Options) *Instance {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	cfg := config.Config{DatabaseURL: dbURL, HTTPAddr: ln.Addr().String(), PublicBaseURL: base, Env: "test",
		SMSDriver: "log", SMSRatePerSecond: 1000, TwilioAPIURL: "http://127.0.0.1:1",
		// a test key: biometric captures are sealed as in production
		DataKey: "c3BwdC10ZXN0LWtleS0zMi1ieXRlcy1vZi1kYXRhISE=", FaceMatchThreshold: 0.40,
		// the audit anchor's key and a checkpoint folder of this instance's own
		AuditKey: "c3BwdC10ZXN0LWF1ZGl0LWtleS0zMi1ieXRlcyEhISE=", AuditAnchorDir: t.TempDir()}
	if opt.Configure != nil {
		opt.Configure(&cfg)
	}
	level := slog.LevelWarn
	if os.Getenv("SPPT_TEST_LOG") != "" {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if opt.LogTo != nil {
		log = slog.New(slog.NewJSONHandler(opt.LogTo, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, app.Options{Clock: opt.Clock, Log: log, DemoSMS: opt.DemoSMS})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if opt.Wire != nil {
		opt.Wire(a)
	}
	roles := app.All
	if opt.Roles != nil {
		roles = *opt.Roles
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, roles, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Logf("serve: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("instance did not stop within 15s")
		}
		a.Close(context.Background())
	})
	inst := &Instance{URL: base, App: a, Pool: a.Pool, DBURL: dbURL}
	inst.waitReady(t)
	return inst
}

func (in *Instance) waitReady(t testing.TB) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if r, err := http.Get(in.URL + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				select {
				case <-in.App.Hub.Ready():
					return
				case <-time.After(5 * time.Second):
					t.Fatal("event hub did not start listening")
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("instance not ready within 10s")
}

// Response is a finished HTTP exchange.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on error.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// ErrorCode returns error.code of an error body ("" if none).
func (r Response) ErrorCode() string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// Do sends a request; body is JSON-encoded unless it is a string or []byte.
// Headers come in pairs after the body ("Accept-Language", "en").
func (in *Instance) Do(t testing.TB, method, path, token string, body any, headers ...string) Response {
	t.Helper()
	var rdr io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rdr = strings.NewReader(b)
	case []byte:
		rdr = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rdr = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, in.URL+path, rdr)
	if err != nil {
		t.Fatal(err)
	}
	if rdr != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := in.client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

// Send posts raw JSON and returns only the status (0 when the request
// failed): for goroutines, which must not call t.Fatal.
func (in *Instance) Send(method, path string, body []byte, headers ...string) int {
	req, err := http.NewRequest(method, in.URL+path, bytes.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := in.client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// OfficerToken creates an officer with roles in office and logs in.
func (in *Instance) OfficerToken(t testing.TB, office, username string, roles ...string) string {
	t.Helper()
	const pw = "correct-horse-battery"
	_, err := officer.AddOfficer(context.Background(), in.Pool, officer.NewOfficer{Username: username, Password: pw, Office: office, Roles: roles}, "test", in.App.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	r := in.Do(t, "POST", "/api/v1/backoffice/login", "", map[string]string{"username": username, "password": pw})
	if r.Status != 200 {
		t.Fatalf("login %s: %d %s", username, r.Status, r.Body)
	}
	var out struct{ Token string }
	r.JSON(t, &out)
	return out.Token
}

// ScopeToken creates an officer without an office (regional_head with a
// region, national_admin with none) and logs in.
func (in *Instance) ScopeToken(t testing.TB, username, region, role string) string {
	t.Helper()
	const pw = "correct-horse-battery"
	_, err := officer.AddOfficer(context.Background(), in.Pool, officer.NewOfficer{Username: username, Password: pw, Region: region, Roles: []string{role}}, "test", in.App.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return in.Login(t, username, pw)
}

// Login signs an officer in through the API and returns the token.
func (in *Instance) Login(t testing.TB, username, password string) string {
	t.Helper()
	r := in.Do(t, "POST", "/api/v1/backoffice/login", "", map[string]string{"username": username, "password": password})
	if r.Status != 200 {
		t.Fatalf("login %s: %d %s", username, r.Status, r.Body)
	}
	var out struct{ Token string }
	r.JSON(t, &out)
	return out.Token
}

// DeviceToken enrols a device and returns its token.
func (in *Instance) DeviceToken(t testing.TB, office, kind, name string) string {
	t.Helper()
	_, tok, err := in.App.Devices.Add(context.Background(), office, kind, name, "test", in.App.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// CitizenToken mints a citizen token for phone (E.164), as `sppt token citizen` does.
func (in *Instance) CitizenToken(t testing.TB, phone string) string {
	t.Helper()
	tok, _, err := in.App.Tokens.MintCitizen(phone)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// AddApplication records an application already at stage through its
// owner, backoffice/application (phone may be "").
func (in *Instance) AddApplication(t testing.TB, no, phone string, stage civil.Stage, at time.Time) {
	t.Helper()
	in.AddApplicant(t, application.New{No: no, Office: no[:3], Service: civil.ServiceNew, NIK: "3273056010900009",
		FullName: "Siti Aminah", BirthDate: time.Date(1990, 10, 20, 0, 0, 0, 0, time.UTC), Sex: "F", Phone: phone}, stage, at)
}

// AddApplicant records application n already at stage, through its owner.
func (in *Instance) AddApplicant(t testing.TB, n application.New, stage civil.Stage, at time.Time) {
	t.Helper()
	err := pgx.BeginFunc(context.Background(), in.Pool, func(tx pgx.Tx) error {
		_, err := application.Seed(context.Background(), tx, n, stage, at)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Monday is Monday 2 March 2026, 09:00 WIB: a working day most tests start on.
var Monday = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

// Day is a calendar day YYYY-MM-DD as midnight UTC (how DATE columns scan).
func Day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// SetQuota sets an office-day's seats through the quota package (100
// online, walkin of which priority are kept for the priority group).
func (in *Instance) SetQuota(t testing.TB, office string, day time.Time, walkin, priority int) {
	t.Helper()
	if _, err := in.App.Quota.SetDay(context.Background(), office, day, 100, walkin, &priority, "test"); err != nil {
		t.Fatal(err)
	}
}
