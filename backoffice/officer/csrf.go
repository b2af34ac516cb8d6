package officer

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/httpx"
)

// CSRFField is the hidden form field every backoffice POST form carries
// ({{$.CSRF}} in a page template; the layout's sign-out has it already).
const CSRFField = "_csrf"

// On top of the SameSite=Strict cookie, each officer form carries a token
// bound to the sign-in: a hash of the HttpOnly cookie's value, which a page
// of another site can neither read nor work out. It changes with every
// sign-in, so no token table is needed.
func csrfToken(cookie string) string {
	sum := sha256.Sum256([]byte("sppt officer csrf\x00" + cookie))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// checkCSRF is the guard's check of a state-changing request from a page.
func checkCSRF(c fiber.Ctx, cookie string) error {
	if c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
		return nil
	}
	form := c.FormValue(CSRFField)
	if !httpx.SameOrigin(c) || subtle.ConstantTimeCompare([]byte(form), []byte(csrfToken(cookie))) != 1 {
		return httpx.New(http.StatusForbidden, "csrf_failed")
	}
	return nil
}
