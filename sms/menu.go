package sms

import "github.com/sppt/sppt/frontend"

// MenuPage is the SMS page's entry in the officers' menu.
var MenuPage = frontend.OfficerPage{Path: PagePath, LabelKey: "queue.nav.sms", Roles: PageRoles}
