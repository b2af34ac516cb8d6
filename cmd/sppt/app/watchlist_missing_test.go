package app_test

import (
	"net/url"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
)

// Saving a watchlist entry that does not exist with a form that is wrong
// is a 404, as with a right form (it was a 500: the refused form's page
// read the missing entry to show it again).
func TestWatchlistSaveOfMissingEntryIs404(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	tok := in.OfficerToken(t, "JKS", "jks.wl404", "supervisor")
	cookie := "sppt_officer=" + tok
	_, _, page := apptest.Page(t, "GET", in.URL+"/backoffice/watchlist", cookie, nil)
	csrf := apptest.Between(page, `name="_csrf" value="`, `"`)
	for _, form := range []url.Values{{"_csrf": {csrf}}, {"_csrf": {csrf}, "full_name": {"x"}}} {
		if st, _, body := apptest.Page(t, "POST", in.URL+"/backoffice/watchlist/999", cookie, form); st != 404 {
			t.Errorf("POST /backoffice/watchlist/999 %v: %d, want 404\n%.300s", form, st, body)
		}
	}
}
