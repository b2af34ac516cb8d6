package portal_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/portal"
	"github.com/sppt/sppt/quota"
)

// saturated is the quota service of an instance holding as many bookings
// as it queues (admission control): every booking is refused at the door.
type saturated struct{ portal.Quota }

func (saturated) Book(context.Context, quota.BookingRequest) (quota.Booking, error) {
	return quota.Booking{}, quota.ErrBusy
}

// A booking refused because the instance is saturated is a 503 with
// Retry-After in the contract's shape, and on the page the form comes back
// with what the citizen typed and the alert that nothing changed — not an
// error page that loses the form.
func TestBusyBookingKeepsTheForm(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening),
		Wire: func(a *app.App) { a.Portal.Quota = saturated{a.Portal.Quota} }})
	in.OpenDay(t, "JKS", "2026-03-04", 10, 5)
	tok := in.CitizenToken(t, "+6281200003101")
	body := bookingBody("JKS", "2026-03-04", apptest.NIK("1990-10-20", true, 7), "Siti Aminah", "1990-10-20", "F")
	r := in.Do(t, "POST", "/api/v1/bookings", tok, body)
	if r.Status != 503 || !contains(r.Body, `"code":"database_busy"`) || r.Header.Get("Retry-After") == "" {
		t.Errorf("API: %d %s (Retry-After %q), want 503 database_busy with Retry-After", r.Status, r.Body, r.Header.Get("Retry-After"))
	}
	form := url.Values{"_csrf": {apptest.CSRF}, "action": {"book"}}
	for k, v := range body {
		form.Set(k, v)
	}
	st, h, page := apptest.Page(t, "POST", in.URL+"/book", "sppt_session="+tok+"; sppt_csrf="+apptest.CSRF, form)
	if st != 503 || h.Get("Retry-After") == "" {
		t.Errorf("page: %d (Retry-After %q), want 503 with Retry-After", st, h.Get("Retry-After"))
	}
	for _, want := range []string{`value="Siti Aminah"`, "Tidak ada yang berubah", `action="/book"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the busy page lacks %s", want)
		}
	}
}
