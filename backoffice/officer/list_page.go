package officer

import (
	"context"

	"github.com/gofiber/fiber/v3"
	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
)

// ListPath is the admin's list of the office's officers.
const ListPath = "/backoffice/officers"

// ListRoles open the officers list.
var ListRoles = []string{"admin"}

// Pages is the officer package's entry in the menu (after the devices).
var Pages = []frontend.OfficerPage{{Path: ListPath, LabelKey: "officer.nav.officers", Roles: ListRoles}}

// Listed is one officer as the list shows them.
type Listed struct {
	Username string
	Roles    []string
	Disabled bool
}

// List is the office's officers by username.
func (p *PageAuth) List(ctx context.Context, office string) ([]Listed, error) {
	rows, err := p.Pool.Query(ctx, `SELECT username, roles, disabled_at IS NOT NULL FROM officers
		WHERE office = $1 ORDER BY username`, office)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Listed, error) {
		var l Listed
		err := r.Scan(&l.Username, &l.Roles, &l.Disabled)
		return l, err
	})
}

type listView struct {
	Office   string
	Officers []Listed
}

// ListRoutes registers the officers list behind guard.
func (p *PageAuth) ListRoutes(r fiber.Router, guard fiber.Handler) {
	r.Get(ListPath, guard, p.listPage)
}

func (p *PageAuth) listPage(c fiber.Ctx) error {
	office := auth.Get(c).Office
	list, err := p.List(c.Context(), office)
	if err != nil {
		return err
	}
	return p.Pages.Render(c, fiber.StatusOK, "officer_list", "officer.officers.title", listView{Office: office, Officers: list}, false)
}
