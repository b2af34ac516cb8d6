package app_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
)

func TestOfficerLoginAndTokenAudiences(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	officer := in.OfficerToken(t, "JKS", "jks.tester", "desk")

	if r := in.Do(t, "GET", "/api/v1/backoffice/me", officer, nil); r.Status != 200 || !strings.Contains(string(r.Body), `"office":"JKS"`) {
		t.Fatalf("me with officer token: %d %s", r.Status, r.Body)
	}
	r := in.Do(t, "POST", "/api/v1/backoffice/login", "", map[string]string{"username": "jks.tester", "password": "wrong-password"}, "Accept-Language", "en")
	if r.Status != 401 || r.ErrorCode() != "invalid_credentials" || !strings.Contains(string(r.Body), "password is wrong") {
		t.Fatalf("wrong password: %d %s", r.Status, r.Body)
	}

	citizen := in.CitizenToken(t, "+6281234567890")
	device := in.DeviceToken(t, "JKS", "kiosk", "Kiosk T")
	expired, _, _ := auth.NewTokens(nil, clk).Mint(auth.Officer, "1", time.Hour, auth.Claims{}) // wrong key and soon expired
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." +
		base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"sppt","sub":"1","aud":["officer"],"exp":4102444800,"iat":1767225600,"roles":["admin"],"office":"JKS"}`)) + "."

	clk2Token := func() string { // a properly signed officer token that has expired
		tok, _, err := in.App.Tokens.Mint(auth.Officer, "1", time.Minute, auth.Claims{Office: "JKS", Roles: []string{"desk"}})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}()
	for name, tok := range map[string]string{"citizen": citizen, "device": device, "foreign key": expired, "alg none": none, "garbage": "abc", "missing": ""} {
		r := in.Do(t, "GET", "/api/v1/backoffice/me", tok, nil)
		if r.Status != 401 || r.ErrorCode() != "unauthorized" {
			t.Errorf("%s token on officer route: %d %s", name, r.Status, r.Body)
		}
	}
	clk.Advance(2 * time.Minute)
	if r := in.Do(t, "GET", "/api/v1/backoffice/me", clk2Token, nil); r.Status != 401 || r.ErrorCode() != "unauthorized" {
		t.Errorf("expired token: %d %s", r.Status, r.Body)
	}
}

func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	in.OfficerToken(t, "JKS", "jks.throttle", "desk")
	var last apptest.Response
	for i := 0; i < auth.DefaultThrottle.PerUserAddress.Limit+1; i++ {
		last = in.Do(t, "POST", "/api/v1/backoffice/login", "", map[string]string{"username": "jks.throttle", "password": "nope-nope-nope"})
	}
	if last.Status != 429 || last.Header.Get("Retry-After") == "" {
		t.Fatalf("after %d failures: %d %s", auth.DefaultThrottle.PerUserAddress.Limit+1, last.Status, last.Body)
	}
	// Even the right password waits out the throttle, so guessing cannot continue.
	r := in.Do(t, "POST", "/api/v1/backoffice/login", "", map[string]string{"username": "jks.throttle", "password": "correct-horse-battery"})
	if r.Status != 429 {
		t.Fatalf("right password while throttled: %d", r.Status)
	}
}
