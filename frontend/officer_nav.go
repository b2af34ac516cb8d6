package frontend

import "github.com/gofiber/fiber/v3"

// OfficerLink is one entry of the backoffice navigation. The officer page
// guard works the list out (the pages this officer's roles may open) and
// hands it to Render, so every officer page shows the same menu without each
// page's view carrying it.
type OfficerLink struct {
	Path     string
	LabelKey string // locale key
	Current  bool   // the page being shown: aria-current="page"
}

// OfficerNav is what the "officer_nav" partial shows.
type OfficerNav struct {
	Links  []OfficerLink
	Name   string // the signed-in officer's username
	Office string
	Region string // a regional head's region (Office is empty)
}

type officerNavKey struct{}

// SetOfficerNav hands this request's backoffice navigation to Render.
func SetOfficerNav(c fiber.Ctx, nav OfficerNav) { c.Locals(officerNavKey{}, &nav) }

// officerNav is the request's navigation; nil on every page but an officer's.
func officerNav(c fiber.Ctx) *OfficerNav {
	nav, _ := c.Locals(officerNavKey{}).(*OfficerNav)
	return nav
}
