package officer

import (
	"strings"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
)

// officerNav is the menu for officer p on path: only the pages of menu p may open.
func officerNav(menu []frontend.OfficerPage, p auth.Principal, path string) frontend.OfficerNav {
	nav := frontend.OfficerNav{Name: p.Name, Office: p.Office, Region: p.Region}
	for _, pg := range menu {
		if p.HasRole(pg.Roles...) {
			current := path == pg.Path || strings.HasPrefix(path, pg.Path+"/")
			nav.Links = append(nav.Links, frontend.OfficerLink{Path: pg.Path, LabelKey: pg.LabelKey, Current: current})
		}
	}
	return nav
}

// homePage is where an officer lands without a page in mind: the first of
// the menu they may open (the booth screen for most).
func homePage(menu []frontend.OfficerPage, roles []string) string {
	p := auth.Principal{Claims: &auth.Claims{Roles: roles}}
	for _, pg := range menu {
		if p.HasRole(pg.Roles...) {
			return pg.Path
		}
	}
	if len(menu) == 0 {
		return "/backoffice/login"
	}
	return menu[0].Path
}
