package backoffice

import (
	"strings"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
)

// OfficerPage is a backoffice page of the officers' menu and the roles its
// guard lets in.
type OfficerPage struct {
	Path, LabelKey string
	Roles          []string
}

// OfficerPages is the officers' menu, in order. The device and SMS pages
// live in packages this one may not import (dependencies point one way), so
// their roles are restated here; TestOfficerNavMatchesGuards asks every
// page, as every role, whether the menu tells the truth.
var OfficerPages = []OfficerPage{
	{Path: "/backoffice/queue", LabelKey: "queue.nav.queue", Roles: QueueRoles},
	{Path: "/backoffice/devices", LabelKey: "queue.nav.devices", Roles: []string{"admin", "supervisor"}}, // devices.AdminRoles
	{Path: "/backoffice/sms", LabelKey: "queue.nav.sms", Roles: []string{"admin", "supervisor"}},         // sms.PageRoles
}

// officerNav is the menu for officer p on path: only the pages p may open.
func officerNav(p auth.Principal, path string) frontend.OfficerNav {
	nav := frontend.OfficerNav{Name: p.Name, Office: p.Office}
	for _, pg := range OfficerPages {
		if p.HasRole(pg.Roles...) {
			current := path == pg.Path || strings.HasPrefix(path, pg.Path+"/")
			nav.Links = append(nav.Links, frontend.OfficerLink{Path: pg.Path, LabelKey: pg.LabelKey, Current: current})
		}
	}
	return nav
}

// homePage is where an officer lands without a page in mind: the first of
// the menu they may open (the booth screen for most).
func homePage(roles []string) string {
	p := auth.Principal{Claims: &auth.Claims{Roles: roles}}
	for _, pg := range OfficerPages {
		if p.HasRole(pg.Roles...) {
			return pg.Path
		}
	}
	return OfficerPages[0].Path
}
