package auth

import (
	"context"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/httpx"
)

type principalKey struct{}

// Principal is the authenticated caller of a request.
type Principal struct {
	*Claims
}

// HasRole reports whether the caller holds any of roles.
func (p Principal) HasRole(roles ...string) bool {
	for _, r := range roles {
		if slices.Contains(p.Roles, r) {
			return true
		}
	}
	return false
}

// Check is an extra check after the signature, e.g. a device not revoked.
type Check func(ctx context.Context, c *Claims) error

// Require accepts only a valid bearer token of audience aud.
func Require(t *Tokens, aud string, checks ...Check) fiber.Handler {
	return func(c fiber.Ctx) error {
		h := c.Get(fiber.HeaderAuthorization)
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || tok == "" {
			return httpx.ErrUnauthorized
		}
		claims, err := t.Parse(strings.TrimSpace(tok), aud)
		if err != nil {
			return httpx.ErrUnauthorized
		}
		for _, check := range checks {
			if err := check(c.Context(), claims); err != nil {
				return err
			}
		}
		c.Locals(principalKey{}, Principal{claims})
		return c.Next()
	}
}

// RequireRole allows callers holding any of roles; others get 403.
func RequireRole(roles ...string) fiber.Handler {
	return func(c fiber.Ctx) error {
		if !Get(c).HasRole(roles...) {
			return httpx.ErrForbidden
		}
		return c.Next()
	}
}

// Get returns the request's principal (zero if unauthenticated).
func Get(c fiber.Ctx) Principal {
	p, _ := c.Locals(principalKey{}).(Principal)
	if p.Claims == nil {
		p.Claims = &Claims{}
	}
	return p
}

// WithPrincipal stores a principal (for pages that authenticate by cookie).
func WithPrincipal(c fiber.Ctx, claims *Claims) { c.Locals(principalKey{}, Principal{claims}) }

// Roles officers can hold. validator is the office head (Kakanim); a
// regional_head's scope is the offices of a region rather than one office.
var Roles = []string{"desk", "biometric", "adjudicator", "supervisor", "cashier", "printer", "validator", "pickup", "admin", "regional_head", "national_admin"}
