package portal_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/quota"
)

// A move into a day in its release draw is refused with when the draw
// closes, in the API and on the page, and the reschedule form does not
// offer that day but says why and when it can be chosen.
func TestRescheduleIntoADrawSaysWhenItCloses(t *testing.T) {
	t.Parallel()
	// 00:02 WIB: with a 14-day window, 16 March was released at midnight
	// (inside the form's 30 days); its draw closes at 00:10.
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(time.Date(2026, 3, 2, 0, 2, 0, 0, time.FixedZone("WIB", 7*3600)))})
	window := 14
	if err := in.App.Quota.SetRules(context.Background(), "JKS", quota.Rules{WindowDays: &window}); err != nil {
		t.Fatal(err)
	}
	phone := "+6281277770001"
	b, err := in.App.Quota.Book(context.Background(), quota.BookingRequest{Office: "JKS", Date: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC),
		Service: "new", NIK: "3273056010900007", FullName: "Siti Aminah", BirthDate: time.Date(1990, 10, 20, 0, 0, 0, 0, time.UTC), Sex: "F", Phone: phone})
	if err != nil {
		t.Fatal(err)
	}
	tok := in.CitizenToken(t, phone)

	r := in.Do(t, "POST", "/api/v1/bookings/"+b.Code+"/reschedule", tok, map[string]string{"date": "2026-03-16"}, "Accept-Language", "en")
	if r.Status != 422 || r.ErrorCode() != "date_not_open" {
		t.Fatalf("reschedule into the draw: %d %s", r.Status, r.Body)
	}
	for _, want := range []string{`"reason":"in_draw"`, `"releases_at":"2026-03-01T17:10:00Z"`, "open until 2026-03-02 00:10 WIB", "Your current booking stays as it is"} {
		if !strings.Contains(string(r.Body), want) {
			t.Errorf("reschedule error lacks %q: %s", want, r.Body)
		}
	}

	session := "sppt_session=" + tok
	_, _, body := post(t, "GET", in.URL+"/bookings/"+b.Code+"/reschedule", session, nil)
	if strings.Contains(body, `value="2026-03-16"`) {
		t.Error("the reschedule form offers a day in its draw")
	}
	if !strings.Contains(body, "Senin, 16 Maret 2026 tidak ada di daftar: undian kuotanya berlangsung sampai 00:10 WIB") {
		t.Errorf("the reschedule page does not say why 16 March is missing:\n%s", apptest.Between(body, "<main", "</main>"))
	}
}
