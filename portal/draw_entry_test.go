package portal_test

import (
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
)

// During a release's draw window a request is an entry, and the API and the
// pages say when the draw closes.
func TestPortalDrawEntry(t *testing.T) {
	t.Parallel()
	// 00:03 WIB: the rolling daily release at midnight has just opened a day, in its draw window.
	clk := clock.NewFake(time.Date(2026, 3, 2, 0, 3, 0, 0, time.FixedZone("WIB", 7*3600)))
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	r := in.Do(t, "GET", "/api/v1/offices/JKS/quota?days=62", "", nil)
	var cal struct {
		Days []struct {
			Date   string `json:"date"`
			InDraw bool   `json:"in_draw"`
		} `json:"days"`
	}
	r.JSON(t, &cal)
	date := ""
	for _, d := range cal.Days {
		if d.InDraw {
			date = d.Date
		}
	}
	if date == "" {
		t.Fatalf("no day in its draw window: %s", r.Body)
	}
	tok := in.CitizenToken(t, "+6281355556666")
	body := bookingBody("JKS", date, apptest.NIK("1990-10-20", true, 5), "Siti Aminah", "1990-10-20", "F")
	r = in.Do(t, "POST", "/api/v1/bookings", tok, body)
	if r.Status != 201 || !contains(r.Body, `"status":"entered"`) || !contains(r.Body, `"draw_closes_at":"`) {
		t.Fatalf("draw entry: %d %s", r.Status, r.Body)
	}
	var b bookingOut
	r.JSON(t, &b)
	_, _, html := apptest.Page(t, "GET", in.URL+"/bookings", "sppt_session="+tok, nil)
	if !contains([]byte(html), "Permintaan Anda ikut undian") || !contains([]byte(html), b.BookingCode) {
		t.Fatalf("my bookings page lacks the draw state")
	}
}
