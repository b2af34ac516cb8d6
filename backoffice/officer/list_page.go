package officer

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v3"
	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// ListPath is the officers of an office: the admin's own, any for the
// national admin, a region's for the regional head (to read).
const ListPath = "/backoffice/officers"

// ListRoles open the officers pages; ManageRoles may change officers.
var (
	ListRoles   = []string{"admin", "national_admin", "regional_head"}
	ManageRoles = []string{"admin", "national_admin"}
)

// Pages is the officer package's entry in the menu (after the devices).
var Pages = []frontend.OfficerPage{{Path: ListPath, LabelKey: "officer.nav.officers", Roles: ListRoles}}

// List is the office's officers by username.
func (p *PageAuth) List(ctx context.Context, office string) ([]Listed, error) {
	return ListOffice(ctx, p.Pool, office)
}

// scope is the office a request is about and what the officer may do there.
type scope struct {
	Office string
	Manage bool
	// Choices are the offices the officer may pick from (national admin,
	// regional head); empty for an office admin.
	Choices []officeChoice
}

type officeChoice struct {
	Code, Name string
	Selected   bool
}

// officeScope works out the office of c (the "office" query or form field
// for officers without one of their own). An office outside the officer's
// scope is 404, as if it did not exist; "" means none picked yet.
func (p *PageAuth) officeScope(c fiber.Ctx) (scope, error) {
	pr := auth.Get(c)
	asked := strings.ToUpper(strings.TrimSpace(c.Query("office", c.FormValue("office"))))
	if pr.Office != "" {
		if asked != "" && asked != pr.Office {
			return scope{}, httpx.ErrNotFound
		}
		return scope{Office: pr.Office, Manage: pr.HasRole(ManageRoles...)}, nil
	}
	region := ""
	if !pr.HasRole("national_admin") {
		region = pr.Region
	}
	choices, err := p.offices(c.Context(), region)
	if err != nil {
		return scope{}, err
	}
	s := scope{Manage: pr.HasRole("national_admin"), Choices: choices}
	if asked == "" {
		return s, nil
	}
	i := slices.IndexFunc(choices, func(o officeChoice) bool { return o.Code == asked })
	if i < 0 {
		return scope{}, httpx.ErrNotFound
	}
	s.Choices[i].Selected, s.Office = true, asked
	return s, nil
}

// offices lists the offices of region ("" for all) to pick from. The
// offices table is quota's; reading it here writes nothing.
func (p *PageAuth) offices(ctx context.Context, region string) ([]officeChoice, error) {
	rows, err := p.Pool.Query(ctx, `SELECT code, name FROM offices WHERE $1 = '' OR region = $1 ORDER BY code`, region)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (officeChoice, error) {
		var o officeChoice
		err := r.Scan(&o.Code, &o.Name)
		return o, err
	})
}

type roleBox struct {
	Role    string
	Checked bool
}

func roleBoxes(have []string) []roleBox {
	var out []roleBox
	for _, r := range OfficeRoles() {
		out = append(out, roleBox{Role: r, Checked: slices.Contains(have, r)})
	}
	return out
}

type listView struct {
	scope
	Officers []Listed
	// The add form: what was typed, what was wrong, who was made.
	Username    string
	Roles       []roleBox
	FieldErrors map[string]string
	Created     *issuedView
	Done        string // a notice key after a change
}

// issuedView is a temporary password, shown once.
type issuedView struct{ Username, Password string }

// ListRoutes registers the officers pages behind guard, and the page where
// an officer replaces a temporary password.
func (p *PageAuth) ListRoutes(r fiber.Router, guard fiber.Handler) {
	r.Get(ListPath, guard, p.listPage)
	r.Post(ListPath, guard, p.addSubmit)
	r.Get(ListPath+"/:username", guard, p.detailPage)
	r.Post(ListPath+"/:username/roles", guard, p.rolesSubmit)
	r.Post(ListPath+"/:username/disable", guard, p.disableSubmit)
	r.Post(ListPath+"/:username/enable", guard, p.enableSubmit)
	r.Post(ListPath+"/:username/reset", guard, p.resetSubmit)
	r.Get(PasswordPath, p.passwordPage)
	r.Post(PasswordPath, p.passwordSubmit)
}

func (p *PageAuth) renderList(c fiber.Ctx, status int, v listView) error {
	s, err := p.officeScope(c)
	if err != nil {
		return err
	}
	v.scope = s
	if v.Roles == nil {
		v.Roles = roleBoxes(nil)
	}
	if s.Office != "" {
		if v.Officers, err = p.List(c.Context(), s.Office); err != nil {
			return err
		}
	}
	if v.Created != nil {
		c.Set(fiber.HeaderCacheControl, "no-store") // the password is shown once
	}
	return p.Pages.Render(c, status, "officer_list", "officer.officers.title", v, false)
}

func (p *PageAuth) listPage(c fiber.Ctx) error {
	return p.renderList(c, fiber.StatusOK, listView{Done: doneKey(c.Query("done"))})
}

// doneKey keeps notices to the ones this package shows.
func doneKey(d string) string {
	switch d {
	case "roles", "disabled", "enabled":
		return d
	}
	return ""
}

// actor is how audit entries name the signed-in officer.
func actor(c fiber.Ctx) (string, int64) {
	pr := auth.Get(c)
	id, _ := strconv.ParseInt(pr.Subject, 10, 64)
	return "officer:" + pr.Subject, id
}

// manageScope is officeScope for a change: an office picked, and the right to change it.
func (p *PageAuth) manageScope(c fiber.Ctx) (scope, error) {
	s, err := p.officeScope(c)
	switch {
	case err != nil:
		return s, err
	case !s.Manage:
		return s, httpx.ErrForbidden
	case s.Office == "":
		return s, httpx.ErrNotFound
	}
	return s, nil
}

func (p *PageAuth) addSubmit(c fiber.Ctx) error {
	s, err := p.manageScope(c)
	if err != nil {
		return err
	}
	roles := formRoles(c)
	username := strings.ToLower(strings.TrimSpace(c.FormValue("username")))
	v := listView{Username: username, Roles: roleBoxes(roles), FieldErrors: map[string]string{}}
	cat, lang := p.Pages.Catalog(), httpx.Lang(c)
	if !usernameRe(username) {
		v.FieldErrors["username"] = cat.T(lang, "admin.officer.username_invalid")
	}
	if len(roles) == 0 {
		v.FieldErrors["roles"] = cat.T(lang, "admin.officer.roles_required")
	}
	if len(v.FieldErrors) > 0 {
		return p.renderList(c, fiber.StatusUnprocessableEntity, v)
	}
	temp := tempFor(username)
	who, _ := actor(c)
	_, err = AddOfficer(c.Context(), p.Pool, NewOfficer{Username: username, Password: temp, Office: s.Office, Roles: roles, MustChange: true}, who, p.Clock.Now())
	switch {
	case errors.Is(err, ErrUsernameTaken):
		v.FieldErrors["username"] = cat.T(lang, "admin.officer.username_taken")
		return p.renderList(c, fiber.StatusConflict, v)
	case err != nil:
		return err
	}
	return p.renderList(c, fiber.StatusCreated, listView{Created: &issuedView{Username: username, Password: temp}})
}

// formRoles are the office roles ticked in the form.
func formRoles(c fiber.Ctx) []string {
	var out []string
	for _, r := range c.Request().PostArgs().PeekMulti("roles") {
		if slices.Contains(OfficeRoles(), string(r)) && !slices.Contains(out, string(r)) {
			out = append(out, string(r))
		}
	}
	return out
}

func usernameRe(u string) bool {
	if len(u) < 3 || len(u) > 40 {
		return false
	}
	for _, r := range u {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}
