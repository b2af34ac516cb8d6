package billing_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/i18n"
	"github.com/sppt/sppt/internal/testdb"
	"github.com/sppt/sppt/quota"
)

var secret = []byte("test-bank-secret")

var jakarta, _ = time.LoadLocation("Asia/Jakarta")

// start is a Monday morning in Jakarta.
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, jakarta)

var seed = testdb.Seed{Name: "billing", Fn: func(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := quota.SeedReference(ctx, tx); err != nil { // JKS, DPS, … through their owner
			return err
		}
		return billing.SeedFees(ctx, tx)
	})
}}

// fakeStages is billing's view of the real stage machine, as the wiring
// builds it, counting the calls of transactions that committed and able to
// fail or hold its transaction open (so concurrent callers overlap).
type fakeStages struct {
	m       *application.Stages
	mu      sync.Mutex
	paid    []string
	expired []string
	fail    error
	delay   time.Duration
}

func (f *fakeStages) Paid(ctx context.Context, tx pgx.Tx, appNo, actor string) error {
	if f.fail != nil {
		return f.fail
	}
	time.Sleep(f.delay)
	if _, err := f.m.MoveTx(ctx, tx, application.Request{No: appNo, To: civil.StagePrinting,
		Actor: application.Actor{Kind: application.KindPayment, ID: actor}}); err != nil {
		return err
	}
	f.mu.Lock()
	f.paid = append(f.paid, appNo+" by "+actor)
	f.mu.Unlock()
	return nil
}

func (f *fakeStages) Expired(ctx context.Context, tx pgx.Tx, appNo string) error {
	if _, err := f.m.MoveTx(ctx, tx, application.Request{No: appNo, To: civil.StageCancelled,
		Actor: application.Actor{Kind: application.KindSystem}, Reason: "bill_expired"}); err != nil {
		return err
	}
	f.mu.Lock()
	f.expired = append(f.expired, appNo)
	f.mu.Unlock()
	return nil
}

func (f *fakeStages) counts() (paid, expired int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.paid), len(f.expired)
}

// fakeNotifier records notices; like the outbox it keeps one per key, and
// it checks it was handed a live transaction.
type fakeNotifier struct {
	mu      sync.Mutex
	notices []billing.Notice
}

func (f *fakeNotifier) Notify(ctx context.Context, tx pgx.Tx, n billing.Notice) error {
	if _, err := tx.Exec(ctx, "SELECT 1"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notices = append(f.notices, n)
	return nil
}

func (f *fakeNotifier) of(kind string) []billing.Notice {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []billing.Notice
	for _, n := range f.notices {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

type env struct {
	t      *testing.T
	pool   *pgxpool.Pool
	clock  *clock.Fake
	stages *fakeStages
	sms    *fakeNotifier
	svc    *billing.Service
	tokens *auth.Tokens
	app    *fiber.App
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool, _ := testdb.Pool(t, seed)
	cat, err := i18n.Load(frontend.FS)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, pool: pool, clock: clock.NewFake(start), sms: &fakeNotifier{}}
	e.stages = &fakeStages{m: &application.Stages{Pool: pool, Clock: e.clock}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.tokens = auth.NewTokens([]byte("test-jwt-key-0123456789abcdef0123"), e.clock)
	e.svc = &billing.Service{Pool: pool, Clock: e.clock, Stages: e.stages, Notifier: e.sms, Log: log, Secret: secret, Tokens: e.tokens}
	e.app = fiber.New(fiber.Config{ErrorHandler: httpx.ErrorHandler(cat, log, nil)})
	e.svc.Routes(httpx.API{R: e.app.Group("/api/v1"), Prefix: "/api/v1", Doc: httpx.NewDoc("test")})
	return e
}

// application creates an application and walks it to billing through the
// stage machine, as the desk, the biometric officer and the adjudicator
// would (the application package owns the table).
func (e *env) application(no, office string) {
	e.t.Helper()
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, e.pool, func(tx pgx.Tx) error {
		_, err := application.Create(ctx, tx, application.New{No: no, Office: office, Service: "new", NIK: "3273056010900009",
			FullName: "Test", Sex: "F", Phone: "+6281234567890", BirthDate: time.Date(1990, 10, 20, 0, 0, 0, 0, time.UTC)}, e.clock.Now())
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.move(no, office, civil.StageDesk, "desk")
	e.move(no, office, civil.StageBiometric, "desk")
	e.move(no, office, civil.StageAdjudication, "biometric")
	e.move(no, office, civil.StageBilling, "adjudicator")
}

// move moves the application as an officer of office with role.
func (e *env) move(no, office string, to civil.Stage, role string) {
	e.t.Helper()
	_, err := e.stages.m.Move(context.Background(), application.Request{No: no, To: to, Reason: "test",
		Actor: application.Actor{Kind: application.KindOfficer, ID: "1", Office: office, Roles: []string{role}}})
	if err != nil {
		e.t.Fatalf("move %s to %s: %v", no, to, err)
	}
}

// issue bills a fresh application: a 10-year e-passport (950,000).
func (e *env) issue(no string) billing.Bill {
	e.t.Helper()
	e.application(no, "JKS")
	b, err := e.reissue(no)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// reissue bills an existing application again.
func (e *env) reissue(no string) (billing.Bill, error) {
	var b billing.Bill
	err := pgx.BeginFunc(context.Background(), e.pool, func(tx pgx.Tx) error {
		var err error
		b, err = e.svc.Issue(context.Background(), tx, billing.Application{ApplicationNo: no, Office: "JKS", Phone: "+6281234567890",
			Request: billing.Request{Service: "new", BirthDate: time.Date(1990, 10, 20, 0, 0, 0, 0, time.UTC), Electronic: true}}, "officer:1")
		return err
	})
	return b, err
}

// body is a callback body.
func body(code string, amount int64, ref string, paidAt time.Time) string {
	return fmt.Sprintf(`{"billing_code":%q,"amount":%d,"paid_at":%q,"reference":%q}`, code, amount, paidAt.Format(time.RFC3339), ref)
}

type resp struct {
	status int
	body   string
}

// post sends a callback signed at the clock's now (sig "" signs it).
func (e *env) post(payload, sig string, header ...string) resp {
	e.t.Helper()
	if sig == "" {
		sig = billing.Sign(secret, []byte(payload), e.clock.Now())
	}
	req := httptest.NewRequest(http.MethodPost, "/api/v1/payments/callback", strings.NewReader(payload))
	req.Header.Set("Content-Type", "application/json")
	if sig != "-" {
		req.Header.Set(billing.SignatureHeader, sig)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := e.app.Test(req, fiber.TestConfig{Timeout: 30 * time.Second})
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, string(b)}
}

// officer calls the officer API with a token for office and roles.
func (e *env) officer(method, path, office, payload string, roles ...string) resp {
	e.t.Helper()
	tok, _, err := e.tokens.Mint(auth.Officer, "7", time.Hour, auth.Claims{Office: office, Roles: roles, Name: "kasir"})
	if err != nil {
		e.t.Fatal(err)
	}
	req := httptest.NewRequest(method, path, strings.NewReader(payload))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := e.app.Test(req, fiber.TestConfig{Timeout: 30 * time.Second})
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, string(b)}
}

// state is what a callback may change: the bill, the callbacks remembered,
// the stage calls and the messages.
type state struct {
	status, stage        string
	callbacks, paid, sms int
	audits               int
}

func (e *env) state(code string) state {
	e.t.Helper()
	var s state
	ctx := context.Background()
	err := e.pool.QueryRow(ctx, `SELECT b.status, a.stage FROM bills b JOIN applications a USING (application_no)
		WHERE b.billing_code = $1`, code).Scan(&s.status, &s.stage)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		e.t.Fatal(err)
	}
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM payment_callbacks`).Scan(&s.callbacks); err != nil {
		e.t.Fatal(err)
	}
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'bill.pay'`).Scan(&s.audits); err != nil {
		e.t.Fatal(err)
	}
	s.paid, _ = e.stages.counts()
	s.sms = len(e.sms.of(billing.NoticePaid))
	return s
}

func newApp() fiber.Router { return fiber.New().Group("/api/v1") }
