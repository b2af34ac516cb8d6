package devices

import "github.com/sppt/sppt/frontend"

// MenuPage is the device admin page's entry in the officers' menu.
var MenuPage = frontend.OfficerPage{Path: "/backoffice/devices", LabelKey: "queue.nav.devices", Roles: AdminRoles}
