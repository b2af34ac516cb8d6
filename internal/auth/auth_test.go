package auth

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/sppt/sppt/internal/clock"
)

func TestPasswordHashAndPolicy(t *testing.T) {
	h, err := HashPassword("teh-manis-hangat")
	if err != nil || !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("%q %v", h, err)
	}
	if !CheckPassword(h, "teh-manis-hangat") || CheckPassword(h, "teh-manis-dingin") || CheckPassword("garbage", "x") {
		t.Fatal("CheckPassword is wrong")
	}
	h2, _ := HashPassword("teh-manis-hangat")
	if h == h2 {
		t.Fatal("same hash twice: salt missing")
	}
	for pw, want := range map[string]error{
		"short":                  ErrPasswordShort,
		"password":               ErrPasswordBlocked,
		"Imigrasi123":            ErrPasswordBlocked,
		"budi-the-officer":       ErrPasswordBlocked, // contains the username
		strings.Repeat("x", 129): ErrPasswordLong,
		"kopi tubruk pagi hari":  nil, // spaces and no composition rules (NIST 800-63B)
		"ラーメンと餃子の夜":              nil,
	} {
		if got := CheckPolicy(pw, "budi"); !errors.Is(got, want) {
			t.Errorf("CheckPolicy(%q) = %v, want %v", pw, got, want)
		}
	}
}

func TestTokenAudienceAlgorithmAndExpiry(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
	tk := NewTokens([]byte(strings.Repeat("k", 32)), clk)
	tok, _, err := tk.Mint(Officer, "7", time.Hour, Claims{Office: "JKS", Roles: []string{"desk"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := tk.Parse(tok, Officer)
	if err != nil || c.Office != "JKS" || c.Subject != "7" {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := tk.Parse(tok, Citizen); err == nil {
		t.Fatal("officer token accepted as citizen")
	}
	// Same claims signed with HS512 (another algorithm, same key) are refused.
	other, _ := jwt.NewWithClaims(jwt.SigningMethodHS512, c).SignedString([]byte(strings.Repeat("k", 32)))
	if _, err := tk.Parse(other, Officer); err == nil {
		t.Fatal("HS512 token accepted: algorithm not pinned")
	}
	unsigned, _ := jwt.NewWithClaims(jwt.SigningMethodNone, c).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if _, err := tk.Parse(unsigned, Officer); err == nil {
		t.Fatal("alg none accepted")
	}
	clk.Advance(61 * time.Minute)
	if _, err := tk.Parse(tok, Officer); err == nil {
		t.Fatal("expired token accepted")
	}
}
