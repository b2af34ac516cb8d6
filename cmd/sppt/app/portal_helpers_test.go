package app_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
)

// portalStart is Monday 2 March 2026, 08:00 WIB.
var portalStart = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// testNIK makes a valid NIK (Kota Bandung, district 05) for a birth date and
// sex; seq keeps NIKs of the same person-shape apart.
func testNIK(birth time.Time, female bool, seq int) string {
	d := birth.Day()
	if female {
		d += 40
	}
	return fmt.Sprintf("327305%02d%02d%02d%04d", d, int(birth.Month()), birth.Year()%100, seq)
}

// setDay opens an office-day with capacities through the quota service.
func setDay(t testing.TB, in *apptest.Instance, office, date string, online, walkin int) {
	t.Helper()
	if _, err := in.App.Quota.SetDay(context.Background(), office, day(date), online, walkin, nil, "test"); err != nil {
		t.Fatalf("SetDay %s %s: %v", office, date, err)
	}
}

var otpRE = regexp.MustCompile(`\b(\d{6})\b`)

// lastOTP reads the newest sign-in code sent to phone (E.164) from the outbox.
func lastOTP(t testing.TB, in *apptest.Instance, phone string) string {
	t.Helper()
	var body string
	err := in.Pool.QueryRow(context.Background(), `SELECT body FROM sms_messages WHERE to_phone = $1 AND kind = 'otp'
		ORDER BY id DESC LIMIT 1`, phone).Scan(&body)
	if err != nil {
		t.Fatalf("no OTP SMS for %s: %v", phone, err)
	}
	m := otpRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no 6-digit code in %q", body)
	}
	return m[1]
}

// booking is a booking body for the API.
func bookingBody(office, date, nik, name, birth, sex string) map[string]string {
	return map[string]string{"office": office, "date": date, "service": "new", "nik": nik, "full_name": name,
		"birth_date": birth, "sex": sex}
}
