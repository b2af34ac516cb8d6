// Package auth issues and checks SPPT's tokens (three audiences: citizen,
// officer, device), hashes officer passwords and throttles logins.
package auth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/sppt/sppt/internal/clock"
)

// Audiences. A token is refused wherever its audience does not belong.
const (
	Citizen = "citizen"
	Officer = "officer"
	Device  = "device"
)

const issuer = "sppt"

// Leeway is how far apart two instances' clocks may be for a token one of
// them just minted to hold on the other (its iat in the checker's future) or
// one just expired to still pass: real hosts drift some hundreds of
// milliseconds apart; 5 s covers that with room and is short against every
// token's lifetime (README, "Reliability and security").
const Leeway = 5 * time.Second

// Claims are SPPT's JWT claims.
type Claims struct {
	jwt.RegisteredClaims
	Office string   `json:"office,omitempty"`
	Region string   `json:"region,omitempty"`
	Roles  []string `json:"roles,omitempty"`
	Kind   string   `json:"kind,omitempty"` // device kind
	Name   string   `json:"name,omitempty"` // officer username, device name
	// MustChange marks an officer's token after a password reset: it opens
	// only the page that sets a new password.
	MustChange bool `json:"pwd_change,omitempty"`
	// IssuedMs is iat in milliseconds: a revocation cut-off (revoke.go)
	// tells a token issued just before it from one issued just after.
	IssuedMs int64 `json:"iat_ms,omitempty"`
}

// Audience is the token's single audience.
func (c *Claims) Audience() string {
	if len(c.RegisteredClaims.Audience) == 1 {
		return c.RegisteredClaims.Audience[0]
	}
	return ""
}

// Tokens mints and parses HS256 tokens; the algorithm is pinned.
type Tokens struct {
	key   []byte
	clock clock.Clock
	// revoked refuses revoked tokens (nil: none are).
	revoked *Revocations
}

// UseRevocations makes Parse refuse the tokens r knows to be revoked.
func (t *Tokens) UseRevocations(r *Revocations) { t.revoked = r }

func NewTokens(key []byte, c clock.Clock) *Tokens { return &Tokens{key: key, clock: c} }

// Mint signs a token for aud and subject, valid for ttl.
func (t *Tokens) Mint(aud, subject string, ttl time.Duration, extra Claims) (string, time.Time, error) {
	now := t.clock.Now()
	exp := now.Add(ttl).Truncate(time.Second)
	var jti [12]byte
	_, _ = rand.Read(jti[:])
	extra.IssuedMs = now.UnixMilli()
	extra.RegisteredClaims = jwt.RegisteredClaims{
		Issuer:    issuer,
		Subject:   subject,
		Audience:  jwt.ClaimStrings{aud},
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)),
		ExpiresAt: jwt.NewNumericDate(exp),
		ID:        base64.RawURLEncoding.EncodeToString(jti[:]),
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, &extra).SignedString(t.key)
	return s, exp, err
}

// ErrInvalid is any token that must be refused: malformed, wrong algorithm,
// wrong issuer or audience, expired.
var ErrInvalid = errors.New("invalid token")

// Parse checks a token for audience aud.
func (t *Tokens) Parse(token, aud string) (*Claims, error) {
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithAudience(aud),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(t.clock.Now),
	)
	var c Claims
	if _, err := p.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.key, nil }); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if c.Audience() != aud || c.Subject == "" {
		return nil, ErrInvalid
	}
	if t.revoked.Revoked(&c) {
		return nil, fmt.Errorf("%w: revoked", ErrInvalid)
	}
	return &c, nil
}

// CitizenTTL is how long a citizen stays signed in after OTP.
const CitizenTTL = 24 * time.Hour

// MintCitizen signs a citizen token for a verified phone (E.164).
func (t *Tokens) MintCitizen(phone string) (string, time.Time, error) {
	return t.Mint(Citizen, phone, CitizenTTL, Claims{})
}
