package app_test

import (
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
)

// A citizen's NIK, phone, name, birth date, OTP code and tokens never reach
// the logs, whatever path they travel (body, path, query, errors).
func TestLogsCarryNoPersonalData(t *testing.T) {
	t.Parallel()
	logs := &apptest.LogBuffer{}
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening), LogTo: logs})
	in.OpenDay(t, "JKS", "2026-03-04", 5, 5)
	const phone, local = "+6281299887766", "081299887766"
	nik := apptest.NIK("1990-10-20", true, 4321)
	booking := func(birth string) map[string]string {
		return map[string]string{"office": "JKS", "date": "2026-03-04", "service": "new", "nik": nik, "full_name": "Siti Zulaikha",
			"birth_date": birth, "sex": "F"}
	}

	in.Do(t, "POST", "/api/v1/auth/otp", "", map[string]string{"phone": local})
	code := in.LastOTP(t, phone)
	r := in.Do(t, "POST", "/api/v1/auth/verify", "", map[string]string{"phone": local, "code": code})
	var v struct{ Token string }
	r.JSON(t, &v)
	r = in.Do(t, "POST", "/api/v1/bookings", v.Token, booking("1990-10-20"))
	var b struct {
		BookingCode string `json:"booking_code"`
	}
	r.JSON(t, &b)
	in.Do(t, "POST", "/api/v1/bookings", v.Token, booking("1990-10-21"))
	in.Do(t, "GET", "/api/v1/applications/JKS-NOPE-0001/status?birth_date=1990-10-20", "", nil)
	in.Do(t, "GET", "/api/v1/bookings/"+b.BookingCode, v.Token, nil)
	officer := in.OfficerToken(t, "JKS", "jks.pii", "desk")
	kiosk := in.DeviceToken(t, "JKS", "kiosk", "Kiosk PII")
	in.Do(t, "POST", "/api/v1/kiosk/checkin", kiosk, map[string]string{"booking_code": b.BookingCode, "nik": nik})
	in.Do(t, "GET", "/api/v1/backoffice/me", officer, nil)

	out := logs.String()
	if !strings.Contains(out, `"route"`) {
		t.Fatalf("no request logs captured:\n%s", out)
	}
	for what, secret := range map[string]string{"NIK": nik, "phone": "81299887766", "name": "Zulaikha",
		"birth date": "1990-10-2", "OTP code": code, "citizen token": v.Token[20:60], "officer token": officer[20:60],
		"device token": kiosk[20:60], "booking code": b.BookingCode} {
		if strings.Contains(out, secret) {
			t.Errorf("%s found in logs", what)
		}
	}
}
