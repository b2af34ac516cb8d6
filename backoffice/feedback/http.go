package feedback

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// Body is one answer as the API takes it (the page's form has the same
// fields: point, score, comment).
type Body struct {
	Point   string `json:"point"`
	Score   int    `json:"score"`
	Comment string `json:"comment"`
}

// Routes registers the API: officer token, role desk or pickup, own office.
func (s *Service) Routes(api httpx.API) {
	api.Post("/backoffice/applications/:application_no/feedback", httpx.Op{
		Summary: "Record the applicant's feedback at the desk or at pickup (score 1–5, comment), once per point",
		Tag:     "feedback", Auth: auth.Officer, Body: Body{},
		Responses: map[int]any{201: Entry{}, 401: nil, 403: nil, 404: nil, 409: nil, 422: nil},
	}, auth.Require(s.Tokens, auth.Officer), auth.RequireRole(Roles...), s.apiGive)
}

func (s *Service) apiGive(c fiber.Ctx) error {
	var in Body
	if err := httpx.BindJSON(c, &in); err != nil {
		return err
	}
	e, err := s.Give(c.Context(), auth.Get(c).Office, strings.ToUpper(c.Params("application_no")), in.Point, in.Score, in.Comment)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

// PageRoutes registers the form behind guard (officer pages, CSRF): the
// applicant answers on the officer's screen turned toward them.
func (s *Service) PageRoutes(r fiber.Router, guard func(roles ...string) fiber.Handler) {
	r.Get("/backoffice/applications/:no/feedback", guard(Roles...), s.formPage)
	r.Post("/backoffice/applications/:no/feedback", guard(Roles...), s.formSubmit)
}

type formView struct {
	No, Point, Comment, Return string
	Score                      int
	Scores                     []int
	Errors                     map[string]string
	Done                       bool
}

func (s *Service) formPage(c fiber.Ctx) error {
	v := formView{No: strings.ToUpper(c.Params("no")), Point: c.Query("point", PointDesk), Return: safeReturn(c.Query("return")),
		Done: c.Query("done") == "1"}
	return s.render(c, fiber.StatusOK, v)
}

func (s *Service) render(c fiber.Ctx, status int, v formView) error {
	v.Scores = []int{1, 2, 3, 4, 5}
	return s.Pages.Render(c, status, "feedback_form", "feedback.title", v, false)
}

func (s *Service) formSubmit(c fiber.Ctx) error {
	no := strings.ToUpper(c.Params("no"))
	score, _ := strconv.Atoi(c.FormValue("score"))
	v := formView{No: no, Point: c.FormValue("point"), Score: score, Comment: c.FormValue("comment"), Return: safeReturn(c.FormValue("return"))}
	_, err := s.Give(c.Context(), auth.Get(c).Office, no, v.Point, score, v.Comment)
	if he, ok := httpx.As(err); ok && he.Status == fiber.StatusUnprocessableEntity {
		cat, lang := s.Pages.Catalog(), httpx.Lang(c)
		v.Errors = map[string]string{}
		for name, f := range he.Fields {
			v.Errors[name] = cat.T(lang, f.Key, f.Params...)
		}
		return s.render(c, fiber.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	to := v.Return
	if to == "" {
		to = "/backoffice/applications/" + url.PathEscape(no) + "/feedback?point=" + url.QueryEscape(v.Point)
	}
	sep := "?"
	if strings.Contains(to, "?") {
		sep = "&"
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To(to + sep + "done=1")
}

// safeReturn keeps the redirect after the answer on this site's backoffice.
func safeReturn(p string) string {
	if !strings.HasPrefix(p, "/backoffice/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return ""
	}
	return p
}
