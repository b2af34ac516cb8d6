package portal_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

type bookingOut struct {
	BookingCode      string `json:"booking_code"`
	Office           string `json:"office"`
	Date             string `json:"date"`
	Service          string `json:"service"`
	Status           string `json:"status"`
	WaitlistPosition int    `json:"waitlist_position"`
}

func TestPortalBookingAPI(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	in.OpenDay(t, "JKS", "2026-03-04", 2, 5)
	in.OpenDay(t, "JKS", "2026-03-05", 3, 5)
	alice := in.CitizenToken(t, "+6281200000001")
	bob := in.CitizenToken(t, "+6281200000002")
	birthF := "1990-10-20"

	// Quota calendar.
	r := in.Do(t, "GET", "/api/v1/offices/JKS/quota?from=2026-03-02&days=7", "", nil)
	var cal struct {
		Office string `json:"office"`
		Days   []struct {
			Date   string `json:"date"`
			Open   bool   `json:"open"`
			Reason string `json:"reason"`
			Online struct{ Capacity, Booked, Remaining int }
		} `json:"days"`
	}
	r.JSON(t, &cal)
	if r.Status != 200 || cal.Office != "JKS" || len(cal.Days) != 7 || cal.Days[2].Date != "2026-03-04" || !cal.Days[2].Open ||
		cal.Days[2].Online.Capacity != 2 || cal.Days[2].Online.Remaining != 2 || cal.Days[5].Open || cal.Days[5].Reason != "weekend" {
		t.Fatalf("calendar: %d %s", r.Status, r.Body)
	}
	for _, c := range []struct{ q, field string }{{"days=63", "days"}, {"days=0", "days"}, {"from=2026-13-01", "from"}, {"days=x", "days"}} {
		if r := in.Do(t, "GET", "/api/v1/offices/JKS/quota?"+c.q, "", nil); r.Status != 422 || !contains(r.Body, `"`+c.field+`":`) {
			t.Errorf("quota?%s: %d %s", c.q, r.Status, r.Body)
		}
	}
	if r := in.Do(t, "GET", "/api/v1/offices/ZZZ/quota", "", nil); r.Status != 404 {
		t.Errorf("unknown office: %d %s", r.Status, r.Body)
	}

	// Validation: every wrong field at once, nothing written.
	bad := map[string]string{"office": "JKS", "date": "2026-03-04", "service": "visa", "nik": "9973056010900009",
		"full_name": "R2-D2", "birth_date": "1990-10-20", "sex": "X"}
	r = in.Do(t, "POST", "/api/v1/bookings", alice, bad, "Accept-Language", "en")
	for _, f := range []string{`"service":`, `"nik":`, `"full_name":`, `"sex":`} {
		if r.Status != 422 || !contains(r.Body, f) {
			t.Fatalf("invalid booking: want %s in %d %s", f, r.Status, r.Body)
		}
	}
	mismatch := bookingBody("JKS", "2026-03-04", apptest.NIK(birthF, true, 1), "Siti Aminah", "1990-10-21", "F")
	if r := in.Do(t, "POST", "/api/v1/bookings", alice, mismatch); r.Status != 422 || !contains(r.Body, `"birth_date":`) {
		t.Fatalf("birth date mismatch: %d %s", r.Status, r.Body)
	}
	wrongSex := bookingBody("JKS", "2026-03-04", apptest.NIK(birthF, true, 1), "Siti Aminah", "1990-10-20", "M")
	if r := in.Do(t, "POST", "/api/v1/bookings", alice, wrongSex); r.Status != 422 || !contains(r.Body, `"sex":`) {
		t.Fatalf("sex mismatch: %d %s", r.Status, r.Body)
	}
	weekend := bookingBody("JKS", "2026-03-07", apptest.NIK(birthF, true, 1), "Siti Aminah", "1990-10-20", "F")
	if r := in.Do(t, "POST", "/api/v1/bookings", alice, weekend); r.Status != 422 || r.ErrorCode() != "date_not_open" ||
		!contains(r.Body, `"reason":"weekend"`) || !contains(r.Body, `"date":`) {
		t.Fatalf("weekend: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/bookings", "", weekend); r.Status != 401 {
		t.Fatalf("no token: %d", r.Status)
	}

	// Book, read, ICS.
	siti := bookingBody("JKS", "2026-03-04", apptest.NIK(birthF, true, 1), "Siti Aminah", "1990-10-20", "F")
	r = in.Do(t, "POST", "/api/v1/bookings", alice, siti)
	var b bookingOut
	r.JSON(t, &b)
	if r.Status != 201 || b.Status != "booked" || b.Date != "2026-03-04" || b.Office != "JKS" || b.BookingCode == "" {
		t.Fatalf("book: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/bookings", bob, siti); r.Status != 409 || r.ErrorCode() != "active_booking_exists" {
		t.Fatalf("same NIK again: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "GET", "/api/v1/bookings/"+b.BookingCode, alice, nil); r.Status != 200 || !contains(r.Body, b.BookingCode) {
		t.Fatalf("get own: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "GET", "/api/v1/bookings/"+b.BookingCode, bob, nil); r.Status != 404 {
		t.Fatalf("another citizen's booking: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "DELETE", "/api/v1/bookings/"+b.BookingCode, bob, nil); r.Status != 404 {
		t.Fatalf("another citizen cancels: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "GET", "/api/v1/bookings", alice, nil); r.Status != 200 || !contains(r.Body, `"booking_code":"`+b.BookingCode) {
		t.Fatalf("list: %d %s", r.Status, r.Body)
	}
	r = in.Do(t, "GET", "/api/v1/bookings/"+b.BookingCode+"/calendar.ics", alice, nil)
	ics := strings.ReplaceAll(string(r.Body), "\r\n ", "") // unfolded
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/calendar") ||
		!strings.Contains(ics, "DTSTART;TZID=Asia/Jakarta:20260304T080000\r\n") || !strings.Contains(ics, "BEGIN:VTIMEZONE\r\n") ||
		!strings.Contains(ics, "TZOFFSETTO:+0700") || !strings.Contains(ics, "LOCATION:Kantor Imigrasi") ||
		!strings.Contains(ics, `Jl. Warung Buncit Raya No. 207\, Mampang`) || !strings.Contains(ics, "UID:") {
		t.Fatalf("ics: %d %s\n%s", r.Status, r.Header.Get("Content-Type"), ics)
	}
	for _, line := range strings.Split(string(r.Body), "\r\n") {
		if len(line) > 75 {
			t.Fatalf("ics line over 75 octets: %q", line)
		}
	}

	// Reschedule, then fill the day, then the waitlist.
	r = in.Do(t, "POST", "/api/v1/bookings/"+b.BookingCode+"/reschedule", alice, map[string]string{"date": "2026-03-05"})
	if r.Status != 200 || !contains(r.Body, `"date":"2026-03-05"`) {
		t.Fatalf("reschedule: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/bookings/"+b.BookingCode+"/reschedule", alice, map[string]string{"date": "2026-03-08"}); r.Status != 422 || r.ErrorCode() != "date_not_open" {
		t.Fatalf("reschedule to Sunday: %d %s", r.Status, r.Body)
	}
	birthM := "1985-01-15"
	var filled []bookingOut
	for i := 1; i <= 2; i++ {
		body := bookingBody("JKS", "2026-03-04", apptest.NIK(birthM, false, i), "Budi Santoso", "1985-01-15", "M")
		r := in.Do(t, "POST", "/api/v1/bookings", bob, body)
		if r.Status != 201 {
			t.Fatalf("fill %d: %d %s", i, r.Status, r.Body)
		}
		var f bookingOut
		r.JSON(t, &f)
		filled = append(filled, f)
	}
	third := bookingBody("JKS", "2026-03-04", apptest.NIK(birthM, false, 3), "Budi Santoso", "1985-01-15", "M")
	if r := in.Do(t, "POST", "/api/v1/bookings", bob, third); r.Status != 409 || r.ErrorCode() != "quota_exhausted" {
		t.Fatalf("full day: %d %s", r.Status, r.Body)
	}
	r = in.Do(t, "POST", "/api/v1/waitlist", bob, third)
	var w bookingOut
	r.JSON(t, &w)
	if r.Status != 201 || w.Status != "waitlisted" || w.WaitlistPosition != 1 {
		t.Fatalf("waitlist: %d %s", r.Status, r.Body)
	}

	// A freed seat becomes an offer to the first on the waitlist, who accepts it.
	if r := in.Do(t, "POST", "/api/v1/bookings/"+w.BookingCode+"/accept", bob, nil); r.Status != 409 || r.ErrorCode() != "no_offer" {
		t.Fatalf("accept without an offer: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "DELETE", "/api/v1/bookings/"+filled[0].BookingCode, bob, nil); r.Status != 200 {
		t.Fatalf("cancel to free a seat: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "GET", "/api/v1/bookings/"+w.BookingCode, bob, nil); r.Status != 200 || !contains(r.Body, `"offer_expires_at":"`) {
		t.Fatalf("offer not visible: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/bookings/"+w.BookingCode+"/accept", bob, nil); r.Status != 200 || !contains(r.Body, `"status":"booked"`) {
		t.Fatalf("accept: %d %s", r.Status, r.Body)
	}

	// Cancel returns the seat.
	r = in.Do(t, "DELETE", "/api/v1/bookings/"+b.BookingCode, alice, nil)
	if r.Status != 200 || !contains(r.Body, `"status":"cancelled"`) {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "DELETE", "/api/v1/bookings/"+b.BookingCode, alice, nil); r.Status != 409 {
		t.Fatalf("cancel twice: %d %s", r.Status, r.Body)
	}
	r = in.Do(t, "GET", "/api/v1/offices/JKS/quota?from=2026-03-05&days=1", "", nil)
	if !contains(r.Body, `"remaining":3`) {
		t.Fatalf("seat not returned: %s", r.Body)
	}
}

func TestPortalApplicationStatus(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	in.AddApplication(t, "JKS-260302-0001", "", civil.StagePrinting, apptest.Opening)
	r := in.Do(t, "GET", "/api/v1/applications/JKS-260302-0001/status?birth_date=1990-10-20", "", nil, "Accept-Language", "en")
	var st struct {
		ApplicationNo string    `json:"application_no"`
		Stage         string    `json:"stage"`
		StatusText    string    `json:"status_text"`
		UpdatedAt     time.Time `json:"updated_at"`
	}
	r.JSON(t, &st)
	if r.Status != 200 || st.Stage != "printing" || st.StatusText != "Payment received. Your passport is being printed." || !st.UpdatedAt.Equal(apptest.Opening) {
		t.Fatalf("status: %d %s", r.Status, r.Body)
	}
	wrongBirth := in.Do(t, "GET", "/api/v1/applications/JKS-260302-0001/status?birth_date=1990-10-21", "", nil)
	wrongNo := in.Do(t, "GET", "/api/v1/applications/JKS-260302-0002/status?birth_date=1990-10-20", "", nil)
	if wrongBirth.Status != 404 || wrongNo.Status != 404 || string(wrongBirth.Body) != string(wrongNo.Body) {
		t.Fatalf("wrong birth %d %s / wrong number %d %s", wrongBirth.Status, wrongBirth.Body, wrongNo.Status, wrongNo.Body)
	}
	if r := in.Do(t, "GET", "/api/v1/applications/JKS-260302-0001/status", "", nil); r.Status != 422 || !contains(r.Body, `"birth_date":`) {
		t.Fatalf("no birth date: %d %s", r.Status, r.Body)
	}

	// Every portal route is in the OpenAPI document.
	doc := in.App.Doc
	for _, op := range [][2]string{{"POST", "/api/v1/auth/otp"}, {"POST", "/api/v1/auth/verify"}, {"GET", "/api/v1/offices"},
		{"GET", "/api/v1/offices/{code}/quota"}, {"POST", "/api/v1/bookings"}, {"GET", "/api/v1/bookings"},
		{"GET", "/api/v1/bookings/{code}"}, {"DELETE", "/api/v1/bookings/{code}"}, {"POST", "/api/v1/bookings/{code}/reschedule"},
		{"GET", "/api/v1/bookings/{code}/calendar.ics"}, {"POST", "/api/v1/waitlist"}, {"POST", "/api/v1/bookings/{code}/accept"},
		{"GET", "/api/v1/applications/{application_no}/status"}} {
		if !doc.Has(op[0], op[1]) {
			t.Errorf("OpenAPI lacks %s %s", op[0], op[1])
		}
	}
}
