package pickup

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// PagePath is the pickup counter's screen.
const PagePath = "/backoffice/pickup"

// MenuPage is the screen's entry in the officers' menu.
var MenuPage = frontend.OfficerPage{Path: PagePath, LabelKey: "pickup.nav", Roles: Roles}

// FeedbackPath is where the completion page's feedback form posts: the
// feedback package's page route (point=pickup).
func FeedbackPath(no string) string {
	return "/backoffice/applications/" + url.PathEscape(no) + "/feedback"
}

type pageView struct {
	No       string
	Status   *Status
	FullName string
	Ready    []application.Application // waiting for pickup, oldest first
	Error    string
}

type doneView struct {
	Handover
	FullName     string
	FeedbackPath string
	Scores       []string // the feedback form's 1–5
}

// PageRoutes registers the screen, the handover form and the completion
// page; guard is the officer page guard (CSRF and Origin checked there).
func (s *Service) PageRoutes(r fiber.Router, guard fiber.Handler) {
	r.Get(PagePath, guard, s.page)
	r.Post(PagePath+"/:no/handover", guard, s.pageHandover)
	r.Get(PagePath+"/:no/done", guard, s.donePage)
}

func (s *Service) page(c fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, strings.ToUpper(strings.TrimSpace(c.Query("no"))), "")
}

func (s *Service) render(c fiber.Ctx, status int, no, errMsg string) error {
	ctx, office := c.Context(), auth.Get(c).Office
	v := pageView{No: no, Error: errMsg}
	var err error
	if v.Ready, err = s.Stages.InStage(ctx, office, civil.StageReady, 50); err != nil {
		return err
	}
	if no != "" {
		st, err := s.StatusOf(c, no)
		if errors.Is(err, application.ErrNotFound) {
			v.Error = s.Pages.Catalog().T(httpx.Lang(c), "pickup.not_found", "appno", no)
			status = fiber.StatusNotFound
		} else if err != nil {
			return err
		} else {
			v.Status = &st
			if a, err := s.Apps.InOffice(ctx, office, no); err == nil {
				v.FullName = a.FullName
			}
		}
	}
	return s.Pages.Render(c, status, "pickup", "pickup.title", v, false)
}

func (s *Service) pageHandover(c fiber.Ctx) error {
	no := strings.ToUpper(c.Params("no"))
	_, err := s.HandOver(c.Context(), no, application.OfficerActor(c))
	if err != nil {
		var he *httpx.Error
		if errors.As(s.HTTPError(err), &he) && he.Status < 500 {
			if he.Status == fiber.StatusNotFound || he.Status == fiber.StatusForbidden {
				return he
			}
			return s.render(c, he.Status, no, s.Pages.Catalog().T(httpx.Lang(c), "err."+he.Code, he.Params...))
		}
		return err
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To(PagePath + "/" + url.PathEscape(no) + "/done")
}

func (s *Service) donePage(c fiber.Ctx) error {
	ctx, office, no := c.Context(), auth.Get(c).Office, strings.ToUpper(c.Params("no"))
	h, err := s.HandoverOf(ctx, office, no)
	if errors.Is(err, application.ErrNotFound) {
		return httpx.ErrNotFound
	}
	if err != nil {
		return err
	}
	v := doneView{Handover: h, FeedbackPath: FeedbackPath(no), Scores: []string{"1", "2", "3", "4", "5"}}
	if a, err := s.Apps.InOffice(ctx, office, no); err == nil {
		v.FullName = a.FullName
	}
	loc, err := s.Zone(ctx, office)
	if err != nil {
		return err
	}
	v.At = v.At.In(loc)
	return s.Pages.Render(c, fiber.StatusOK, "pickup_done", "pickup.done.title", v, false)
}
