package portal_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
)

func TestPortalOTPSignIn(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	const phone = "+6281234567890"

	r := in.Do(t, "POST", "/api/v1/auth/otp", "", map[string]string{"phone": "0812-3456-7890"})
	if r.Status != 202 || string(r.Body) != `{"expires_in":300}` {
		t.Fatalf("otp: %d %s", r.Status, r.Body)
	}
	code := in.LastOTP(t, phone)
	var stored int
	if err := in.Pool.QueryRow(context.Background(), `SELECT count(*) FROM citizen_otps WHERE phone = $1 AND code_hash <> convert_to($2, 'UTF8')`, phone, code).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("code stored hashed: %d %v", stored, err)
	}

	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if r := in.Do(t, "POST", "/api/v1/auth/verify", "", map[string]string{"phone": phone, "code": wrong}); r.Status != 401 || r.ErrorCode() != "otp_invalid" {
		t.Fatalf("wrong code: %d %s", r.Status, r.Body)
	}
	r = in.Do(t, "POST", "/api/v1/auth/verify", "", map[string]string{"phone": "62812 3456 7890", "code": code})
	if r.Status != 200 {
		t.Fatalf("verify: %d %s", r.Status, r.Body)
	}
	var tok struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	r.JSON(t, &tok)
	if tok.Token == "" || !tok.ExpiresAt.After(clk.Now()) {
		t.Fatalf("token: %+v", tok)
	}
	if r := in.Do(t, "GET", "/api/v1/bookings", tok.Token, nil); r.Status != 200 {
		t.Fatalf("bookings with the minted token: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/auth/verify", "", map[string]string{"phone": phone, "code": code}); r.Status != 401 {
		t.Fatalf("used code accepted again: %d %s", r.Status, r.Body)
	}

	// Form errors name the field, in English on request.
	r = in.Do(t, "POST", "/api/v1/auth/otp", "", map[string]string{"phone": "021 5551234"}, "Accept-Language", "en")
	if r.Status != 422 || !contains(r.Body, `"phone":"This is not a mobile number`) {
		t.Fatalf("landline: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/auth/otp", "", map[string]string{"phone": "12345"}); r.Status != 422 || !contains(r.Body, `"phone"`) {
		t.Fatalf("garbage phone: %d %s", r.Status, r.Body)
	}

	// Three codes per phone per 15 minutes: two more pass, the fourth is 429.
	for i := 0; i < 2; i++ {
		if r := in.Do(t, "POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone}); r.Status != 202 {
			t.Fatalf("otp %d: %d %s", i+2, r.Status, r.Body)
		}
	}
	r = in.Do(t, "POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone})
	retry, _ := strconv.Atoi(r.Header.Get("Retry-After"))
	if r.Status != 429 || r.ErrorCode() != "otp_rate_limited" || retry < 1 || retry > 900 {
		t.Fatalf("4th code: %d %s Retry-After=%q", r.Status, r.Body, r.Header.Get("Retry-After"))
	}
	clk.Set(apptest.Opening.Add(16 * time.Minute))
	if r := in.Do(t, "POST", "/api/v1/auth/otp", "", map[string]string{"phone": phone}); r.Status != 202 {
		t.Fatalf("after the window: %d %s", r.Status, r.Body)
	}
}

func TestPortalOTPTriesAndExpiry(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})

	// Five wrong tries kill the code: the right one then fails too.
	const p1 = "+6281311112222"
	if r := in.Do(t, "POST", "/api/v1/auth/otp", "", map[string]string{"phone": p1}); r.Status != 202 {
		t.Fatalf("otp: %d %s", r.Status, r.Body)
	}
	code := in.LastOTP(t, p1)
	for i := 0; i < 5; i++ {
		wrong := strconv.Itoa(100000 + i)
		if wrong == code {
			wrong = "999999"
		}
		if r := in.Do(t, "POST", "/api/v1/auth/verify", "", map[string]string{"phone": p1, "code": wrong}); r.Status != 401 {
			t.Fatalf("wrong try %d: %d", i, r.Status)
		}
	}
	if r := in.Do(t, "POST", "/api/v1/auth/verify", "", map[string]string{"phone": p1, "code": code}); r.Status != 401 {
		t.Fatalf("code survived 5 wrong tries: %d %s", r.Status, r.Body)
	}

	// A code is dead after five minutes.
	const p2 = "+6285733334444"
	if r := in.Do(t, "POST", "/api/v1/auth/otp", "", map[string]string{"phone": p2}); r.Status != 202 {
		t.Fatalf("otp: %d %s", r.Status, r.Body)
	}
	code = in.LastOTP(t, p2)
	clk.Set(apptest.Opening.Add(5*time.Minute + time.Second))
	if r := in.Do(t, "POST", "/api/v1/auth/verify", "", map[string]string{"phone": p2, "code": code}); r.Status != 401 {
		t.Fatalf("expired code accepted: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/auth/verify", "", map[string]string{"phone": p2, "code": "12a"}); r.Status != 422 || !contains(r.Body, `"code"`) {
		t.Fatalf("malformed code: %d %s", r.Status, r.Body)
	}
}
