package portal_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
)

// Office codes in addresses are case-insensitive: the page redirects to the
// capitalised address (keeping the query), the API answers for the office.
func TestScreensOfficeCodeAnyCase(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	st, h, _ := apptest.Page(t, "GET", in.URL+"/offices/jks?lang=en", "", nil)
	if st != 301 || h.Get("Location") != "/offices/JKS?lang=en" {
		t.Errorf("/offices/jks: %d → %q, want 301 → /offices/JKS?lang=en", st, h.Get("Location"))
	}
	if st, _, body := apptest.Page(t, "GET", in.URL+"/offices/Dps", "", nil); st != 301 {
		t.Errorf("/offices/Dps: %d %s", st, body)
	}
	if st, _, _ := apptest.Page(t, "GET", in.URL+"/offices/j1s", "", nil); st != 404 {
		t.Errorf("/offices/j1s: %d, want 404", st)
	}
	r := in.Do(t, "GET", "/api/v1/offices/jks/quota?days=3", "", nil)
	var cal struct {
		Office string
		Days   []any
	}
	r.JSON(t, &cal)
	if r.Status != 200 || cal.Office != "JKS" || len(cal.Days) != 3 {
		t.Errorf("GET /api/v1/offices/jks/quota: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "GET", "/api/v1/offices/xyz/quota", "", nil); r.Status != 404 {
		t.Errorf("unknown lowercase office: %d", r.Status)
	}
}

// The home page finds an office by city with a plain GET form (no
// JavaScript) and groups offices by province.
func TestScreensHomeSearchWithoutJS(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	_, _, home := apptest.Page(t, "GET", in.URL+"/", "", nil)
	if !strings.Contains(home, `<form method="get" action="/#offices"`) || !strings.Contains(home, `name="q"`) {
		t.Fatal("home has no GET search form")
	}
	for _, province := range []string{"DKI Jakarta", "Bali", "Papua", "Sulawesi Selatan"} {
		if !strings.Contains(home, `<span class="province-name">`+province+`</span>`) {
			t.Errorf("home lacks the province group %q", province)
		}
	}
	_, _, body := apptest.Page(t, "GET", in.URL+"/?q=denpasar", "", nil)
	if !strings.Contains(body, `href="/offices/DPS"`) || strings.Contains(body, `href="/offices/JKS"`) {
		t.Errorf("?q=denpasar should list DPS only")
	}
	if !strings.Contains(body, "1 kantor cocok dengan") {
		t.Errorf("?q=denpasar does not say how many matched")
	}
	_, _, body = apptest.Page(t, "GET", in.URL+"/?q=JAKARTA+selatan", "", nil)
	if !strings.Contains(body, `href="/offices/JKS"`) || strings.Contains(body, `href="/offices/JKB"`) {
		t.Errorf("?q=JAKARTA selatan should list JKS and not JKB")
	}
	_, _, body = apptest.Page(t, "GET", in.URL+"/?q=hatta", "", nil) // "Soekarno-Hatta"
	if !strings.Contains(body, `href="/offices/SHT"`) {
		t.Errorf("?q=hatta should find Soekarno-Hatta")
	}
	_, _, body = apptest.Page(t, "GET", in.URL+"/?q=atlantis&lang=en", "", nil)
	if !strings.Contains(body, "No office matches") || strings.Contains(body, `class="office-item"`) {
		t.Errorf("?q=atlantis should say nothing matched")
	}
}

// A birth date typed as DD-MM-YYYY (a browser without a date picker) is
// read like the date input's YYYY-MM-DD; a wrong one is named.
func TestScreensBirthDateDayFirst(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	in.OpenDay(t, "JKS", "2026-03-04", 10, 5)
	tok := in.CitizenToken(t, "+6281200003001")
	book(t, in, tok, "JKS", "2026-03-04", "new", apptest.NIK("1990-10-20", true, 1), "20-10-1990", "F")
	book(t, in, tok, "JKS", "2026-03-04", "new", apptest.NIK("1985-02-03", false, 2), "3/2/1985", "M")
	for _, bad := range []string{"1990-20-10", "31-02-1990", "20 Okt 1990"} {
		r := in.Do(t, "POST", "/api/v1/bookings", tok, map[string]string{"office": "JKS", "date": "2026-03-04", "service": "new",
			"nik": apptest.NIK("1990-10-20", true, 3), "full_name": "Siti Aminah", "birth_date": bad, "sex": "F"})
		if r.Status != 422 || !strings.Contains(string(r.Body), `"birth_date"`) {
			t.Errorf("birth date %q: %d %s", bad, r.Status, r.Body)
		}
	}
	// The page's field is a date input; the day-first text re-shows as its value.
	cookie := "sppt_session=" + tok + "; sppt_csrf=" + apptest.CSRF
	form := url.Values{"_csrf": {apptest.CSRF}, "office": {"JKS"}, "date": {"2026-03-04"}, "service": {"new"}, "nik": {apptest.NIK("1990-10-20", true, 4)},
		"full_name": {"Siti Aminah"}, "birth_date": {"21-10-1990"}, "sex": {"F"}, "action": {"book"}}
	st, _, body := apptest.Page(t, "POST", in.URL+"/book", cookie, form)
	if st != 422 || !strings.Contains(body, `type="date"`) || !strings.Contains(body, `value="1990-10-21"`) {
		t.Errorf("a NIK disagreeing with 21-10-1990: %d, date input with 1990-10-21 expected", st)
	}
}

// A 409 active_booking_exists names (and the page links) the caller's own
// booking of that NIK; another phone's booking stays unnamed.
func TestScreensActiveBookingLink(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	in.OpenDay(t, "JKS", "2026-03-04", 10, 5)
	in.OpenDay(t, "JKS", "2026-03-05", 10, 5)
	tok := in.CitizenToken(t, "+6281200003002")
	nik := apptest.NIK("1990-10-20", true, 5)
	code := book(t, in, tok, "JKS", "2026-03-04", "new", nik, "1990-10-20", "F")
	again := map[string]string{"office": "JKS", "date": "2026-03-05", "service": "new", "nik": nik, "full_name": "Siti Aminah",
		"birth_date": "1990-10-20", "sex": "F"}
	r := in.Do(t, "POST", "/api/v1/bookings", tok, again)
	var e struct {
		Error struct {
			Code        string `json:"code"`
			BookingCode string `json:"booking_code"`
		} `json:"error"`
	}
	r.JSON(t, &e)
	if r.Status != 409 || e.Error.Code != "active_booking_exists" || e.Error.BookingCode != code {
		t.Errorf("second booking of the NIK: %d %s, want 409 with booking_code %s", r.Status, r.Body, code)
	}
	other := in.Do(t, "POST", "/api/v1/bookings", in.CitizenToken(t, "+6281200003003"), again)
	if other.Status != 409 || strings.Contains(string(other.Body), code) {
		t.Errorf("another phone learns the booking: %d %s", other.Status, other.Body)
	}
	cookie := "sppt_session=" + tok + "; sppt_csrf=" + apptest.CSRF
	form := url.Values{"_csrf": {apptest.CSRF}, "action": {"book"}}
	for k, v := range again {
		form.Set(k, v)
	}
	st, _, body := apptest.Page(t, "POST", in.URL+"/book", cookie, form)
	if st != 409 || !strings.Contains(body, `href="/bookings/`+code+`"`) {
		t.Errorf("the form's 409: %d, no link to /bookings/%s", st, code)
	}
}

// The confirmation shows the office's hours, the service's documents and
// the fees in force; a move says from which day to which.
func TestScreensConfirmationDetails(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	in.OpenDay(t, "JKS", "2026-03-04", 10, 5)
	tok := in.CitizenToken(t, "+6281200003004")
	code := book(t, in, tok, "JKS", "2026-03-04", "replacement", apptest.NIK("1990-10-20", true, 6), "1990-10-20", "F")
	cookie := "sppt_session=" + tok
	_, _, body := apptest.Page(t, "GET", in.URL+"/bookings/"+code, cookie, nil)
	for _, want := range []string{`id="office-hours">08:00–16:00 WIB<`, "Kartu Keluarga (KK)", "surat keterangan hilang dari kepolisian",
		"Rp350.000", "Rp650.000", "Rp950.000", "Rp1.000.000", "Rp500.000"} {
		if !strings.Contains(body, want) {
			t.Errorf("confirmation lacks %q", want)
		}
	}
	_, _, body = apptest.Page(t, "GET", in.URL+"/bookings/"+code+"?lang=en", cookie, nil)
	if !strings.Contains(body, "IDR 350,000") || !strings.Contains(body, "Family card") {
		t.Errorf("English confirmation lacks the fee or the checklist")
	}
	_, _, body = apptest.Page(t, "GET", in.URL+"/bookings/"+code+"?done=rescheduled&from=2026-03-03", cookie, nil)
	if !strings.Contains(body, "Jadwal sudah diubah dari Selasa, 3 Maret 2026 ke Rabu, 4 Maret 2026.") {
		t.Errorf("reschedule notice does not say from which day to which")
	}
	if !strings.Contains(body, `class="btn btn-warning" href="/bookings/`+code+`/cancel"`) {
		t.Errorf("Batalkan is not styled as a warning")
	}
}

// Small texts of the citizen's way: an empty "Booking saya" says how to
// book, the code step offers "Ganti nomor", the status hint shows the
// number as the queue makes it, and SMS texts say "kios" like the pages.
func TestScreensCitizenTexts(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Opening)})
	_, _, body := apptest.Page(t, "GET", in.URL+"/bookings", "sppt_session="+in.CitizenToken(t, "+6281200003005"), nil)
	if !strings.Contains(body, `id="bookings-empty"`) || !strings.Contains(body, `href="/#offices"`) {
		t.Errorf("empty Booking saya does not say how to book")
	}
	st, _, body := apptest.Page(t, "POST", in.URL+"/login", "sppt_csrf="+apptest.CSRF, url.Values{"_csrf": {apptest.CSRF}, "phone": {"0812 0000 3006"}, "next": {"/bookings"}})
	if st != 200 || !strings.Contains(body, `id="change-phone"`) || !strings.Contains(body, "Ganti nomor") || !strings.Contains(body, `href="/login?next=%2fbookings"`) {
		t.Errorf("code step: %d, no way back to change the number", st)
	}
	_, _, body = apptest.Page(t, "GET", in.URL+"/status", "", nil)
	example := application.No("JKS", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), "A001")
	if !strings.Contains(body, example) {
		t.Errorf("status hint does not show the real format %s", example)
	}
	cat := in.App.Pages.Catalog()
	for _, key := range []string{"sms.notice.booking_confirmed", "sms.notice.booking_rescheduled", "sms.notice.draw_won"} {
		if text := cat.T("id", key); strings.Contains(text, "kiosk") || !strings.Contains(text, "kios") {
			t.Errorf("%s: %q should say kios", key, text)
		}
	}
	_, _, body = apptest.Page(t, "GET", in.URL+"/offices/JKS", "", nil)
	if !strings.Contains(body, ">Libur / tutup<") {
		t.Errorf("calendar legend does not name the cells' word Libur")
	}
}
