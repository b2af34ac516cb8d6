package portal_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/testdb"
	"github.com/sppt/sppt/portal"
)

// codeBook keeps the codes a test "sends" (the real sender is the outbox).
type codeBook struct {
	mu    sync.Mutex
	codes map[string]string
}

func (b *codeBook) SendOTP(ctx context.Context, tx pgx.Tx, phone, code, key string, ttl time.Duration) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.codes[phone] = code
	return nil
}

func newOTPService(t *testing.T, limits portal.OTPLimits) (*portal.Service, *clock.Fake, *codeBook) {
	t.Helper()
	pool, _ := testdb.Pool(t, testdb.Seed{Name: "portal-otp"})
	clk := clock.NewFake(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
	book := &codeBook{codes: map[string]string{}}
	return &portal.Service{Pool: pool, Clock: clk, Tokens: auth.NewTokens([]byte("0123456789abcdef0123456789abcdef"), clk),
		OTP: book, Limits: limits}, clk, book
}

func wantThrottled(t *testing.T, err error, what string) {
	t.Helper()
	e, ok := httpx.As(err)
	if !ok || e.Status != http.StatusTooManyRequests {
		t.Fatalf("%s: want 429, got %v", what, err)
	}
	if s, _ := strconv.Atoi(e.Headers["Retry-After"]); s < 1 {
		t.Fatalf("%s: Retry-After %q", what, e.Headers["Retry-After"])
	}
}

func TestOTPPerIPLimits(t *testing.T) {
	t.Parallel()
	s, clk, book := newOTPService(t, portal.OTPLimits{PerIP: 2, FailsPerIP: 3, IPWindow: 10 * time.Minute})
	ctx := context.Background()
	phones := []string{"+6281200000011", "+6281200000012", "+6281200000013"}
	for _, p := range phones[:2] {
		if _, err := s.IssueOTP(ctx, p, "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.IssueOTP(ctx, phones[2], "10.0.0.1")
	wantThrottled(t, err, "third code from one IP")
	if _, err := s.IssueOTP(ctx, phones[2], "10.0.0.2"); err != nil {
		t.Fatalf("another IP: %v", err)
	}

	// Wrong codes across phones count against the IP; then even a right one is refused.
	for i, p := range phones {
		wrong := "000000"
		if book.codes[p] == wrong {
			wrong = "111111"
		}
		if err := s.VerifyOTP(ctx, p, wrong, "10.0.0.9"); err == nil {
			t.Fatalf("wrong code %d accepted", i)
		}
	}
	wantThrottled(t, s.VerifyOTP(ctx, phones[0], book.codes[phones[0]], "10.0.0.9"), "verify after 3 failures")
	if err := s.VerifyOTP(ctx, phones[0], book.codes[phones[0]], "10.0.0.8"); err != nil {
		t.Fatalf("right code from a clean IP: %v", err)
	}
	clk.Set(clk.Now().Add(11 * time.Minute))
	if _, err := s.IssueOTP(ctx, phones[2], "10.0.0.1"); err != nil {
		t.Fatalf("after the IP window: %v", err)
	}
}

// Concurrent requests for one phone cannot get past the per-phone limit.
func TestOTPPerPhoneLimitUnderConcurrency(t *testing.T) {
	t.Parallel()
	s, _, _ := newOTPService(t, portal.OTPLimits{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.IssueOTP(context.Background(), "+6281299990000", "10.1.0."+strconv.Itoa(i)); err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if ok != portal.DefaultOTPLimits.PerPhone {
		t.Fatalf("%d codes issued at once, want %d", ok, portal.DefaultOTPLimits.PerPhone)
	}
}

// Issue 14, finding 4: codes asked for at once from one address stop at the
// per-IP cap, and so do wrong codes. Before the fix the counts were read
// before anything was written, and a burst got past both.
func TestOTPPerIPLimitsUnderConcurrency(t *testing.T) {
	t.Parallel()
	const cap, fails, n = 5, 4, 20
	s, _, book := newOTPService(t, portal.OTPLimits{PerIP: cap, FailsPerIP: fails})
	burst := func(f func(i int) error) (ok, limited int) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				err := f(i)
				mu.Lock()
				defer mu.Unlock()
				if e, isHTTP := httpx.As(err); err == nil || isHTTP && e.Status == http.StatusUnauthorized {
					ok++
				} else if isHTTP && e.Status == http.StatusTooManyRequests {
					limited++
				} else {
					t.Errorf("attempt %d: %v", i, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		return ok, limited
	}
	phone := func(i int) string { return "+62812777700" + strconv.Itoa(10+i) }
	issued, limited := burst(func(i int) error {
		_, err := s.IssueOTP(context.Background(), phone(i), "10.2.0.1")
		return err
	})
	if issued != cap || limited != n-cap {
		t.Fatalf("%d codes at once from one IP: %d issued, %d throttled; want %d issued", n, issued, limited, cap)
	}
	wrong, limited := burst(func(i int) error {
		code := "000000"
		if book.codes[phone(i%cap)] == code {
			code = "111111"
		}
		return s.VerifyOTP(context.Background(), phone(i%cap), code, "10.2.0.2")
	})
	if wrong != fails || limited != n-fails {
		t.Fatalf("%d wrong codes at once from one IP: %d checked, %d throttled; want %d checked", n, wrong, limited, fails)
	}
}
