package sms_test

import (
	"context"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/browsertest"
	"github.com/sppt/sppt/sms"
)

// pageFixture fills an instance (log driver) with a week's SMS for JKS: a
// broadcast to 3 subscribers (sent), one failed and one queued message, a
// sign-in code, an inbound KUOTA, and a DPS message the JKS page must not show.
func pageFixture(t *testing.T) (*apptest.Instance, time.Time) {
	t.Helper()
	day, now := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC), testNow
	in := startInstance(t, nil)
	ctx := context.Background()
	if _, err := in.App.Quota.SetDay(ctx, "JKS", day, 384, 40, nil, "test"); err != nil {
		t.Fatal(err)
	}
	subscribe(t, in, 3)
	if res, err := in.App.SMS.BroadcastQuota(ctx, "JKS"); err != nil || res.Queued != 3 {
		t.Fatalf("broadcast: %+v %v", res, err)
	}
	text(t, in, "whatsapp:+6281399990001", "kuota jks")
	err := pgx.BeginFunc(ctx, in.Pool, func(tx pgx.Tx) error {
		for _, m := range []sms.Message{
			{To: "+6281399990002", Kind: "otp", Body: "SPPT: Kode verifikasi Anda 482913. Berlaku 5 menit.", Key: "otp:page"},
			{To: "+6281399990003", Kind: "booking_confirmed", Office: "DPS", Body: "Booking DPSONLY1 terkonfirmasi", Key: "dps:page"},
		} {
			if _, err := in.App.Outbox.Enqueue(ctx, tx, m); err != nil {
				return err
			}
		}
		// Rows without a send job: they stay as written.
		_, err := tx.Exec(ctx, `INSERT INTO sms_messages (idem_key, to_phone, kind, office, body, status, created_at, updated_at)
			VALUES ('page:failed', '+6281399990004', 'booking_confirmed', 'JKS', 'x', 'failed', $1, $1),
			       ('page:queued', '+6281399990005', 'booking_confirmed', 'JKS', 'y', 'queued', $1, $1)`, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		var open int
		_ = in.Pool.QueryRow(ctx, `SELECT count(*) FROM sms_messages WHERE status IN ('queued', 'sending') AND idem_key <> 'page:queued'`).Scan(&open)
		if p, _ := sms.Pending(ctx, in.Pool); open == 0 && p == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages still unsent", open)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return in, day
}

func dayRow(day time.Time) *regexp.Regexp {
	return regexp.MustCompile(`(?s)data-day="` + day.Format(time.DateOnly) + `".*?data-count="sent">(\d+)<.*?data-count="failed">(\d+)<.*?data-count="queued">(\d+)<`)
}

func TestSMSPage(t *testing.T) {
	t.Parallel()
	in, day := pageFixture(t)
	date := day.Format("02-01-2006")
	admin := in.OfficerToken(t, "JKS", "jks.smsadmin", "admin")
	r := in.Do(t, "GET", sms.PagePath, "", nil, "Cookie", officer.OfficerCookie+"="+admin)
	if r.Status != 200 {
		t.Fatalf("page: %d %s", r.Status, r.Body)
	}
	page := html.UnescapeString(string(r.Body))
	m := dayRow(day).FindStringSubmatch(page)
	if m == nil || m[1] != "3" || m[2] != "1" || m[3] != "1" {
		t.Errorf("%s sent/failed/queued = %v, want 3/1/1", date, m)
	}
	for _, want := range []string{
		`<progress class="sms-progress" aria-labelledby="broadcast-1-label" max="3" value="3">100%</progress>`,
		"Siaran kuota harian " + date + ": 3 dari 3 selesai (100%)",
		"+62813*****001", "WhatsApp", "KUOTA", "kuota jks", // the inbound query, phone masked
		"+62812*****001", // a broadcast recipient, masked
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Every row listed is in the day's counts (the sign-in code belongs to no
	// office: neither listed nor counted), and kinds are named for people.
	listed := map[string]int{}
	for _, b := range regexp.MustCompile(`(?s)<tbody>.*?</tbody>`).FindAllString(page[strings.Index(page, `id="sms-outbox"`):], 1) {
		for _, st := range regexp.MustCompile(`<span class="badge">([^<]+)</span>`).FindAllStringSubmatch(b, -1) {
			listed[st[1]]++
		}
	}
	if m != nil && (strconv.Itoa(listed["terkirim"]+listed["diterima"]) != m[1] || strconv.Itoa(listed["gagal"]) != m[2] || strconv.Itoa(listed["antre"]) != m[3]) {
		t.Errorf("outbox rows by status %v disagree with the counts %v", listed, m[1:])
	}
	if strings.Contains(page, "Kode verifikasi") || strings.Contains(page, "+62813*****002") {
		t.Errorf("the JKS page lists a sign-in code, which no office's counts hold")
	}
	for _, want := range []string{`data-kind="broadcast">siaran kuota<`, `data-kind="booking_confirmed">booking terkonfirmasi<`} {
		if !strings.Contains(page, want) {
			t.Errorf("outbox lacks the kind label %q", want)
		}
	}
	if strings.Contains(page, ">booking_confirmed<") || strings.Contains(page, "sppt broadcast") || strings.Contains(page, "SMS_DRIVER") {
		t.Errorf("page shows a raw kind or operator text")
	}
	for _, leak := range []string{"482913", "DPSONLY1", "+6281399990001", "+6281200000001"} {
		if strings.Contains(page, leak) {
			t.Errorf("page shows %q", leak)
		}
	}
	if en := in.Do(t, "GET", sms.PagePath+"?lang=en", "", nil, "Cookie", officer.OfficerCookie+"="+admin); !strings.Contains(string(en.Body), "Daily quota broadcast "+date+": 3 of 3 done (100%)") {
		t.Errorf("English page: %s", en.Body)
	}
	// Another office's admin sees DPS only; a desk officer may not open it; no cookie: the login form.
	dps := in.OfficerToken(t, "DPS", "dps.smsadmin", "supervisor")
	if r := in.Do(t, "GET", sms.PagePath, "", nil, "Cookie", officer.OfficerCookie+"="+dps); r.Status != 200 ||
		strings.Contains(string(r.Body), "broadcast-1") || !strings.Contains(string(r.Body), "DPSONLY1") {
		t.Errorf("DPS page: %d", r.Status)
	}
	desk := in.OfficerToken(t, "JKS", "jks.smsdesk", "desk")
	if r := in.Do(t, "GET", sms.PagePath, "", nil, "Cookie", officer.OfficerCookie+"="+desk); r.Status != 403 {
		t.Errorf("desk officer: %d", r.Status)
	}
}

// An admin signs in through the page, sees the counts, and axe finds nothing.
func TestSMSPageInBrowser(t *testing.T) {
	t.Parallel()
	in, day := pageFixture(t)
	in.OfficerToken(t, "JKS", "jks.smsbrowser", "admin")
	ctx := browsertest.New(t)
	for i, step := range []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(in.URL + sms.PagePath),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "jks.smsbrowser"),
		chromedp.SendKeys("#password", "correct-horse-battery"),
		chromedp.Submit("#password"),
		chromedp.WaitVisible("#sms-days"),
	} {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := chromedp.Do(sctx, step)
		cancel()
		if err != nil {
			loc, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
			t.Fatalf("step %d: %v; at %s", i, err, loc)
		}
	}
	sent, err := chromedp.Run(ctx, chromedp.Text(`#sms-days tr[data-day="`+day.Format(time.DateOnly)+`"] td[data-count="sent"]`))
	if err != nil {
		t.Fatal(err)
	}
	bar, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("progress.sms-progress").value + "/" + document.querySelector("progress.sms-progress").max`))
	if err != nil {
		t.Fatal(err)
	}
	if sent != "3" || bar != "3/3" {
		t.Errorf("sent %q, progress %q", sent, bar)
	}
	browsertest.AssertNoAxeViolations(t, ctx)
}
