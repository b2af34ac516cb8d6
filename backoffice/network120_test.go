package backoffice_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/sppt/sppt/backoffice/network"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
)

// The whole network from its one file: after importing demo/offices120.csv
// the national view lists all 120 offices, each on its own calendar day, and
// its CSV has a line for each.
func TestNationalViewListsTheWholeNetwork(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	f, err := os.Open("../demo/offices120.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := in.App.Quota.ImportOffices(context.Background(), f, "test"); err != nil {
		t.Fatal(err)
	}
	national := officerCookie(in.ScopeToken(t, "national.net", "", "national_admin"))
	st, _, body := apptest.Page(t, "GET", in.URL+network.Path, national, nil)
	if n := strings.Count(body, `<tr data-office="`); st != 200 || n != 120 {
		t.Fatalf("national view: %d with %d offices, want 120", st, n)
	}
	st, _, raw := apptest.Page(t, "GET", in.URL+network.CSVPath, national, nil)
	if lines := strings.Count(strings.TrimSpace(raw), "\n") + 1; st != 200 || lines != 121 {
		t.Fatalf("national CSV: %d with %d lines, want a header and 120", st, lines)
	}
}
