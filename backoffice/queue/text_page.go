package queue

import (
	"errors"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// TextPath is the office head's running-text page.
const TextPath = "/backoffice/running-text"

// TextPageRoutes registers the running-text form; guard admits TextRoles.
func (q *Service) TextPageRoutes(r fiber.Router, guard fiber.Handler) {
	r.Get(TextPath, guard, q.textPage)
	r.Post(TextPath, guard, q.textSubmit)
}

type textView struct {
	Office  string
	Current string // what displays show now
	Text    string // what the form holds
	Max     int
	Saved   bool
	Error   string
}

func (q *Service) textPage(c fiber.Ctx) error {
	return q.renderText(c, fiber.StatusOK, textView{Saved: c.Query("saved") == "1"}, true)
}

func (q *Service) renderText(c fiber.Ctx, status int, v textView, fill bool) error {
	p := auth.Get(c)
	st, err := q.State(c.Context(), p.Office)
	if err != nil {
		return err
	}
	v.Office, v.Current, v.Max = p.Office, st.RunningText, MaxRunningText
	if fill {
		v.Text = st.RunningText
	}
	return q.Pages.Render(c, status, "queue_text", "officer.text.title", v, false)
}

// textSubmit sets the text through SetRunningText, the API's own path:
// the same checks, audit entry and display event.
func (q *Service) textSubmit(c fiber.Ctx) error {
	p := auth.Get(c)
	text := c.FormValue("text")
	err := q.SetRunningText(c.Context(), p.Office, text, OfficerActor(p))
	var he *httpx.Error
	if errors.As(err, &he) && he.Status < 500 {
		cat, lang := q.Pages.Catalog(), httpx.Lang(c)
		msg := cat.T(lang, "err."+he.Code, he.Params...)
		if f, ok := he.Fields["text"]; ok {
			msg = cat.T(lang, f.Key, f.Params...)
		}
		return q.renderText(c, he.Status, textView{Text: text, Error: msg}, false)
	}
	if err != nil {
		return err
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To(TextPath + "?saved=1")
}
