package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
)

// The screens_* tests (issue 10) keep their own helpers so they do not lean
// on other test files of this package.

// scrStart is Monday 2 March 2026, 08:00 WIB.
var scrStart = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

// scrNIK is a valid NIK (Kota Bandung, district 05) for birth and sex.
func scrNIK(birth string, female bool, seq int) string {
	b, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		panic(err)
	}
	d := b.Day()
	if female {
		d += 40
	}
	return fmt.Sprintf("327305%02d%02d%02d%04d", d, int(b.Month()), b.Year()%100, seq)
}

func scrOpenDay(t testing.TB, in *apptest.Instance, office, date string, online, walkin int) {
	t.Helper()
	d, _ := time.Parse(time.DateOnly, date)
	if _, err := in.App.Quota.SetDay(context.Background(), office, d, online, walkin, nil, "test"); err != nil {
		t.Fatalf("SetDay %s %s: %v", office, date, err)
	}
}

// scrBook books through the API and returns the booking code.
func scrBook(t testing.TB, in *apptest.Instance, token, office, date, service, nik, birth, sex string) string {
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

// scrPage does one browser-like request without following redirects.
func scrPage(t testing.TB, method, u, cookie string, form url.Values) (int, http.Header, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
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

// scrCSRF is a CSRF token as the portal makes them (43 characters): the
// same value in the cookie and the form passes the check.
const scrCSRF = "screens-test-csrf-token-0123456789abcdefghi"
