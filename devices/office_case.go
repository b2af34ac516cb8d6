package devices

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v3"
)

var officeCodeRE = regexp.MustCompile(`^[A-Z]{3}$`)

// canonicalTVPath is the TV page's address with the office code in capitals
// (CONTRACT.md's form, and the portal's /offices/{code}), when the request
// used another case; the API routes serve any case as it is (officeParam).
func canonicalTVPath(c fiber.Ctx) (string, bool) {
	code := c.Params("office")
	up := strings.ToUpper(code)
	if up == code || !officeCodeRE.MatchString(up) {
		return "", false
	}
	path := "/tv/" + url.PathEscape(up)
	if q := string(c.Request().URI().QueryString()); q != "" {
		path += "?" + q
	}
	return path, true
}
