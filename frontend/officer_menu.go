package frontend

// OfficerPage is a backoffice page of the officers' menu and the roles its
// guard lets in. Each package with officer pages declares its own; the
// backoffice builds the menu from them, so no package restates another's roles.
type OfficerPage struct {
	Path, LabelKey string
	Roles          []string
}
