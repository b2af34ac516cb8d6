package portal_test

import (
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
)

// The portal's tests start the whole app (apptest) and share its helpers
// (apptest.Opening, Day, NIK, Page, CSRF, OpenDay, LastOTP); what is only the
// portal's is here.

// bookingBody is a booking request body for the API.
func bookingBody(office, date, nik, name, birth, sex string) map[string]string {
	return map[string]string{"office": office, "date": date, "service": "new", "nik": nik, "full_name": name,
		"birth_date": birth, "sex": sex}
}

// book books through the API and returns the booking code.
func book(t testing.TB, in *apptest.Instance, token, office, date, service, nik, birth, sex string) string {
	t.Helper()
	r := in.Do(t, "POST", "/api/v1/bookings", token, map[string]string{"office": office, "date": date, "service": service,
		"nik": nik, "full_name": "Siti Aminah", "birth_date": birth, "sex": sex})
	if r.Status != 201 {
		t.Fatalf("book %s %s: %d %s", office, date, r.Status, r.Body)
	}
	var out struct {
		Code string `json:"booking_code"`
	}
	r.JSON(t, &out)
	return out.Code
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }
