// Package backoffice is the One Stop Service pipeline and the officers who
// work it. Each sub-domain is a sub-package: application (the aggregate and
// its stages; owns applications), officer (accounts, roles, login, page
// sign-in and guard; owns officers), queue (tickets, booths, calls, kiosk
// check-in). The pipeline steps (intake, biometric, watchlist, adjudication,
// billing, printing, validation, pickup, …) join them; a step imports only
// application and internal/, never another step (imports_test.go checks).
// This package only mounts the sub-packages and builds the officers' menu
// from the pages each declares.
package backoffice
