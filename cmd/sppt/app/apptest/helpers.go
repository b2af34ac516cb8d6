package apptest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/quota"
)

// Opening is Monday 2 March 2026, 08:00 WIB, as the offices open.
var Opening = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

// CSRF is a token shaped as the portal makes them (43 characters): the same
// value in the sppt_csrf cookie and the _csrf field passes the check.
const CSRF = "screens-test-csrf-token-0123456789abcdefghi"

// NIK is a valid NIK (Kota Bandung, district 05) for a birth date
// (YYYY-MM-DD) and sex; seq keeps NIKs of the same person-shape apart.
func NIK(birth string, female bool, seq int) string {
	b := Day(birth)
	d := b.Day()
	if female {
		d += 40
	}
	return fmt.Sprintf("327305%02d%02d%02d%04d", d, int(b.Month()), b.Year()%100, seq)
}

// OpenDay opens an office-day (YYYY-MM-DD) with capacities through the quota
// service, leaving the priority share at the office's default.
func (in *Instance) OpenDay(t testing.TB, office, date string, online, walkin int) {
	t.Helper()
	if _, err := in.App.Quota.SetDay(context.Background(), office, Day(date), online, walkin, nil, "test"); err != nil {
		t.Fatalf("SetDay %s %s: %v", office, date, err)
	}
}

// Book books a seat for Siti Aminah (born 20 October 1990, phone
// +6281234567890) through the quota service and returns the booking code.
func (in *Instance) Book(t testing.TB, office, date, service, nik string) string {
	t.Helper()
	b, err := in.App.Quota.Book(context.Background(), quota.BookingRequest{Office: office, Date: Day(date), Service: service,
		NIK: nik, FullName: "Siti Aminah", BirthDate: Day("1990-10-20"), Sex: "F", Phone: "+6281234567890"})
	if err != nil {
		t.Fatalf("book %s %s: %v", office, date, err)
	}
	if b.Status != quota.StatusBooked {
		t.Fatalf("book %s %s: status %s", office, date, b.Status)
	}
	return b.Code
}

var otpRE = regexp.MustCompile(`\b(\d{6})\b`)

// LastOTP reads the newest sign-in code sent to phone (E.164) from the outbox.
func (in *Instance) LastOTP(t testing.TB, phone string) string {
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

// Page does one request as a browser would, without following redirects; a
// form is sent url-encoded.
func Page(t testing.TB, method, u, cookie string, form url.Values) (int, http.Header, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Cookie", cookie)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(raw)
}

// Between is the text of s after from and before the next to ("" if from
// is not in s).
func Between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

// RegionalToken creates a regional head of region (an offices.region) and
// logs in: their scope is the region's offices, not one office.
func (in *Instance) RegionalToken(t testing.TB, region, username string) string {
	t.Helper()
	const pw = "correct-horse-battery"
	n := officer.NewOfficer{Username: username, Password: pw, Region: region, Roles: []string{"regional_head"}}
	if _, err := officer.AddOfficer(context.Background(), in.Pool, n, "test", in.App.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	r := in.Do(t, "POST", "/api/v1/backoffice/login", "", map[string]string{"username": username, "password": pw})
	if r.Status != 200 {
		t.Fatalf("login %s: %d %s", username, r.Status, r.Body)
	}
	var out struct{ Token string }
	r.JSON(t, &out)
	return out.Token
}
