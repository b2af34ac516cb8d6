package validation

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// PagePath is the office head's validation screen.
const PagePath = "/backoffice/validation"

// MenuPage is the screen's entry in the officers' menu.
var MenuPage = frontend.OfficerPage{Path: PagePath, LabelKey: "validation.nav", Roles: Roles}

type pageView struct {
	Office  string
	Items   []Item
	Message string
	Error   string
	ErrorNo string // the application the error is about
}

// PageRoutes registers the screen; guard is the officer page guard (which
// also checks the form's CSRF token and Origin). Every action is a plain
// form POST answered by a redirect back.
func (s *Service) PageRoutes(r fiber.Router, guard fiber.Handler) {
	r.Get(PagePath, guard, s.page)
	r.Post(PagePath+"/:no/:action", guard, s.pageAction)
}

func (s *Service) page(c fiber.Ctx) error { return s.render(c, fiber.StatusOK, "", "") }

func (s *Service) render(c fiber.Ctx, status int, errMsg, errNo string) error {
	p := auth.Get(c)
	items, err := s.Inbox(c.Context(), p.Office)
	if err != nil {
		return err
	}
	v := pageView{Office: p.Office, Items: items, Error: errMsg, ErrorNo: errNo}
	if done, no := c.Query("done"), c.Query("no"); done == "approved" || done == "reprint" {
		v.Message = s.Pages.Catalog().T(httpx.Lang(c), "validation.done."+done, "appno", no)
	}
	return s.Pages.Render(c, status, "validation", "validation.title", v, false)
}

func (s *Service) pageAction(c fiber.Ctx) error {
	no, actor := strings.ToUpper(c.Params("no")), application.OfficerActor(c)
	var err error
	var done string
	switch c.Params("action") {
	case "approve":
		_, err = s.Approve(c.Context(), no, actor)
		done = "approved"
	case "reprint":
		_, err = s.Reprint(c.Context(), no, actor, c.FormValue("reason"))
		done = "reprint"
	default:
		return httpx.ErrNotFound
	}
	err = HTTPError(err)
	var he *httpx.Error
	if errors.As(err, &he) && he.Status < 500 {
		if he.Status == fiber.StatusNotFound {
			return he // another office's number: as if it did not exist
		}
		return s.render(c, he.Status, s.message(c, he), no)
	}
	if err != nil {
		return err
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To(PagePath + "?done=" + done + "&no=" + url.QueryEscape(no))
}

// message is the error's text with each wrong field's, in the page's language.
func (s *Service) message(c fiber.Ctx, he *httpx.Error) string {
	cat, lang := s.Pages.Catalog(), httpx.Lang(c)
	msg := cat.T(lang, "err."+he.Code, he.Params...)
	for _, f := range he.Fields {
		msg += " " + cat.T(lang, f.Key, f.Params...)
	}
	return msg
}
