package officer

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/httpx"
)

type detailView struct {
	scope
	Officer     Listed
	Roles       []roleBox
	FieldErrors map[string]string
	Reset       *issuedView
}

// officerOf is the office's officer named in the path (404 when none).
func (p *PageAuth) officerOf(c fiber.Ctx, office string) (Listed, error) {
	name := strings.Clone(c.Params("username"))
	list, err := p.List(c.Context(), office)
	if err != nil {
		return Listed{}, err
	}
	for _, o := range list {
		if o.Username == name {
			return o, nil
		}
	}
	return Listed{}, httpx.ErrNotFound
}

func (p *PageAuth) renderDetail(c fiber.Ctx, status int, s scope, v detailView) error {
	if s.Office == "" {
		return httpx.ErrNotFound
	}
	o, err := p.officerOf(c, s.Office)
	if err != nil {
		return err
	}
	v.scope, v.Officer = s, o
	if v.Roles == nil {
		v.Roles = roleBoxes(o.Roles)
	}
	if v.Reset != nil {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return p.Pages.Render(c, status, "officer_detail", "admin.officer.title", v, false)
}

func (p *PageAuth) detailPage(c fiber.Ctx) error {
	s, err := p.officeScope(c)
	if err != nil {
		return err
	}
	return p.renderDetail(c, fiber.StatusOK, s, detailView{})
}

// backToList is where a change lands: the office's list with a notice.
func backToList(c fiber.Ctx, s scope, done string) error {
	return c.Redirect().Status(fiber.StatusSeeOther).To(ListPath + "?office=" + url.QueryEscape(s.Office) + "&done=" + done)
}

// refusal turns a rule of the officers table into the page's answer.
func (p *PageAuth) refusal(c fiber.Ctx, s scope, err error, field, key string) error {
	switch {
	case errors.Is(err, ErrNoOfficer):
		return httpx.ErrNotFound
	case errors.Is(err, ErrSelf), errors.Is(err, ErrUnknownRole):
		fe := map[string]string{field: p.Pages.Catalog().T(httpx.Lang(c), key)}
		if errors.Is(err, ErrUnknownRole) {
			fe[field] = p.Pages.Catalog().T(httpx.Lang(c), "admin.officer.roles_required")
		}
		return p.renderDetail(c, fiber.StatusUnprocessableEntity, s, detailView{FieldErrors: fe, Roles: roleBoxes(formRoles(c))})
	}
	return err
}

func (p *PageAuth) rolesSubmit(c fiber.Ctx) error {
	s, err := p.manageScope(c)
	if err != nil {
		return err
	}
	who, id := actor(c)
	err = SetRoles(c.Context(), p.Pool, s.Office, strings.Clone(c.Params("username")), formRoles(c), who, id, p.Clock.Now())
	if err != nil {
		return p.refusal(c, s, err, "roles", "admin.officer.self_admin")
	}
	return backToList(c, s, "roles")
}

func (p *PageAuth) disableSubmit(c fiber.Ctx) error {
	s, err := p.manageScope(c)
	if err != nil {
		return err
	}
	who, id := actor(c)
	if err := Disable(c.Context(), p.Pool, s.Office, strings.Clone(c.Params("username")), who, id, p.Clock.Now()); err != nil {
		return p.refusal(c, s, err, "disable", "admin.officer.self_disable")
	}
	return backToList(c, s, "disabled")
}

func (p *PageAuth) enableSubmit(c fiber.Ctx) error {
	s, err := p.manageScope(c)
	if err != nil {
		return err
	}
	who, _ := actor(c)
	if err := Enable(c.Context(), p.Pool, s.Office, strings.Clone(c.Params("username")), who, p.Clock.Now()); err != nil {
		return p.refusal(c, s, err, "enable", "")
	}
	return backToList(c, s, "enabled")
}

func (p *PageAuth) resetSubmit(c fiber.Ctx) error {
	s, err := p.manageScope(c)
	if err != nil {
		return err
	}
	who, _ := actor(c)
	name := strings.Clone(c.Params("username"))
	temp, err := ResetPassword(c.Context(), p.Pool, s.Office, name, who, p.Clock.Now())
	if err != nil {
		return p.refusal(c, s, err, "reset", "")
	}
	return p.renderDetail(c, fiber.StatusOK, s, detailView{Reset: &issuedView{Username: name, Password: temp}})
}
