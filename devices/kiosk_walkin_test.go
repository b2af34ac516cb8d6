package devices_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/devices"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/internal/clock"
)

var (
	walkinKeyField = regexp.MustCompile(`name="key" value="([^"]+)"`)
	ticketNumber   = regexp.MustCompile(`id="ticket-number">([A-F][0-9]+)<`)
	walkinLeft     = regexp.MustCompile(`Sisa kuota datang langsung hari ini: (\d+)`)
)

// kioskPage is a kiosk browser without JavaScript: its cookie, its forms.
type kioskPage struct {
	in     *apptest.Instance
	cookie string
}

func (k kioskPage) get(t *testing.T) string {
	t.Helper()
	r := k.in.Do(t, "GET", "/kiosk", "", nil, "Cookie", k.cookie)
	if r.Status != 200 || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("kiosk page: %d, Cache-Control %q", r.Status, r.Header.Get("Cache-Control"))
	}
	return string(r.Body)
}

func (k kioskPage) walkin(t *testing.T, service, key string) (int, string) {
	t.Helper()
	form := url.Values{"service": {service}, "key": {key}}.Encode()
	r := k.in.Do(t, "POST", "/kiosk/walkin", "", form, "Cookie", k.cookie, "Content-Type", "application/x-www-form-urlencoded")
	return r.Status, string(r.Body)
}

// left is the walk-in seats the kiosk page says remain.
func left(t *testing.T, page string) string {
	t.Helper()
	m := walkinLeft.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no walk-in count on the kiosk page: %.400s", page)
	}
	return m[1]
}

func formKey(t *testing.T, page string) string {
	t.Helper()
	m := walkinKeyField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no walk-in key in the kiosk form: %.400s", page)
	}
	return m[1]
}

func walkinsIssued(t *testing.T, in *apptest.Instance) (seats, tickets int) {
	t.Helper()
	ctx := context.Background()
	_ = in.Pool.QueryRow(ctx, `SELECT walkin_issued FROM quota_days WHERE office = 'JKS' AND day = '2026-03-02'`).Scan(&seats)
	_ = in.Pool.QueryRow(ctx, `SELECT count(*) FROM queue_tickets WHERE office = 'JKS' AND walkin`).Scan(&tickets)
	return seats, tickets
}

// Posting the kiosk's walk-in form twice (a refresh of the ticket page, a
// double tap) gives one ticket and takes one walk-in seat; a new form, or
// another service, is a new ticket; another kiosk's key never shows this
// kiosk's ticket.
func TestKioskWalkinFormIsIdempotent(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 10, 2)
	k := kioskPage{in: in, cookie: devices.KioskCookie + "=" + in.DeviceToken(t, "JKS", "kiosk", "Kiosk Lobi")}
	other := kioskPage{in: in, cookie: devices.KioskCookie + "=" + in.DeviceToken(t, "JKS", "kiosk", "Kiosk Lantai 2")}

	home := k.get(t)
	if n := left(t, home); n != "10" {
		t.Fatalf("walk-in seats left before: %s, want 10", n)
	}
	key := formKey(t, home)
	var numbers []string
	for i := range 2 {
		st, body := k.walkin(t, "new", key)
		m := ticketNumber.FindStringSubmatch(body)
		if st != 201 || m == nil {
			t.Fatalf("walk-in post %d: %d %.400s", i+1, st, body)
		}
		numbers = append(numbers, m[1])
	}
	if numbers[0] != "A001" || numbers[1] != "A001" {
		t.Fatalf("the same form twice gave tickets %v, want A001 twice", numbers)
	}
	if seats, tickets := walkinsIssued(t, in); seats != 1 || tickets != 1 {
		t.Fatalf("after one form posted twice: %d seats taken, %d tickets, want 1 and 1", seats, tickets)
	}

	home = k.get(t)
	if n := left(t, home); n != "9" {
		t.Fatalf("walk-in seats left after one form posted twice: %s, want 9", n)
	}
	// A double tap: the same key sent at once, many times.
	key2 := formKey(t, home)
	if key2 == key {
		t.Fatal("the kiosk page reused a walk-in key")
	}
	var wg sync.WaitGroup
	got := make([]string, 6)
	for i := range got {
		wg.Go(func() {
			st, body := k.walkin(t, "renewal", key2)
			if m := ticketNumber.FindStringSubmatch(body); st == 201 && m != nil {
				got[i] = m[1]
			} else {
				got[i] = fmt.Sprintf("status %d", st)
			}
		})
	}
	wg.Wait()
	for _, n := range got {
		if n != "B001" {
			t.Fatalf("six taps at once gave %v, want B001 each time", got)
		}
	}
	if seats, tickets := walkinsIssued(t, in); seats != 2 || tickets != 2 {
		t.Fatalf("after the double tap: %d seats taken, %d tickets, want 2 and 2", seats, tickets)
	}

	// The same form's other button is another request (a stale form never
	// hands out a number for a service nobody chose).
	if st, body := k.walkin(t, "new", key2); st != 201 || !strings.Contains(body, ">A002<") {
		t.Fatalf("the same key for another service: %d %.300s", st, body)
	}
	// Another kiosk sending this kiosk's key gets a ticket of its own.
	if st, body := other.walkin(t, "new", key); st != 201 || !strings.Contains(body, ">A003<") {
		t.Fatalf("other kiosk with the same key: %d %.300s", st, body)
	}
	// A tampered key is refused without taking a seat.
	if st, _ := k.walkin(t, "new", "short"); st != 422 {
		t.Fatalf("malformed key: %d", st)
	}
	if seats, tickets := walkinsIssued(t, in); seats != 4 || tickets != 4 {
		t.Fatalf("at the end: %d seats taken, %d tickets, want 4 and 4", seats, tickets)
	}
}

// A refused walk-in frees its key: once seats are added, the same form works.
// The API honours idempotency_key the same way.
func TestWalkinKeyAfterRefusalAndInAPI(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 0, 0)
	tok := in.DeviceToken(t, "JKS", "kiosk", "Kiosk Lobi")
	k := kioskPage{in: in, cookie: devices.KioskCookie + "=" + tok}
	key := formKey(t, k.get(t))
	if st, body := k.walkin(t, "new", key); st != 409 || !strings.Contains(body, "habis") {
		t.Fatalf("walk-in without seats: %d %.300s", st, body)
	}
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 1, 0)
	if st, body := k.walkin(t, "new", key); st != 201 || !strings.Contains(body, ">A001<") {
		t.Fatalf("the same form after seats were added: %d %.300s", st, body)
	}

	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 3, 0)
	post := func(body map[string]string) apptest.Response {
		return in.Do(t, "POST", "/api/v1/kiosk/tickets", tok, body)
	}
	var first, again ticket
	post(map[string]string{"service": "new", "idempotency_key": "api-key-0000000001"}).JSON(t, &first)
	r := post(map[string]string{"service": "new", "idempotency_key": "api-key-0000000001"})
	if r.JSON(t, &again); r.Status != 201 || first.Ticket != "A002" || again != first {
		t.Fatalf("API with one key twice: %+v then %d %+v", first, r.Status, again)
	}
	if r := post(map[string]string{"service": "new", "idempotency_key": "bad key!"}); r.Status != 422 || !strings.Contains(string(r.Body), "idempotency_key") {
		t.Fatalf("API with a malformed key: %d %s", r.Status, r.Body)
	}
	if r := post(map[string]string{"service": "new"}); r.Status != 201 || !strings.Contains(string(r.Body), `"A003"`) {
		t.Fatalf("API without a key: %d %s", r.Status, r.Body)
	}
	if seats, tickets := walkinsIssued(t, in); seats != 3 || tickets != 3 {
		t.Fatalf("%d seats taken, %d tickets, want 3 and 3", seats, tickets)
	}
}

// In Chromium: a walk-in ticket, then the kiosk's browser reloads the ticket
// page (which posts the form again): the same number, one seat taken. The
// kiosk page with its hidden key stays axe-clean.
func TestKioskWalkinReloadInBrowser(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 10, 2)
	tok := in.DeviceToken(t, "JKS", "kiosk", "Kiosk Lobi")
	ctx := browsertest.New(t)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(in.URL+"/kiosk"),
		chromedp.WaitVisible("#enrol-code"),
		chromedp.SendKeys("#enrol-code", tok),
		chromedp.Submit("#enrol-code"),
		chromedp.WaitVisible(`button[value="new"]`),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click(`button[value="new"]`), chromedp.WaitVisible("#ticket-number")); err != nil {
		t.Fatal(err)
	}
	first, _ := chromedp.Run(ctx, chromedp.Text("#ticket-number"))
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible("#ticket-number")); err != nil {
		t.Fatal(err)
	}
	again, _ := chromedp.Run(ctx, chromedp.Text("#ticket-number"))
	if first != "A001" || again != "A001" {
		t.Fatalf("ticket %q, after a reload %q; want A001 both times", first, again)
	}
	if seats, tickets := walkinsIssued(t, in); seats != 1 || tickets != 1 {
		t.Fatalf("after a reload: %d seats taken, %d tickets, want 1 and 1", seats, tickets)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
}
