package sms_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/i18n"
	"github.com/sppt/sppt/quota"
	"github.com/sppt/sppt/sms"
)

func catalog(t *testing.T) *i18n.Catalog {
	t.Helper()
	cat, err := i18n.Load(frontend.FS)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// widestNotice carries the widest value each parameter takes in practice
// (quota writes "expires" as "02-01-2006 15:04 MST").
func widestNotice(kind, officeName string) sms.Notice {
	return sms.Notice{Kind: kind, Phone: "+6281234567890", Office: "JKS", Key: kind + ":W", Params: map[string]string{
		"code": strings.Repeat("W", 12), "date": "2026-12-31", "from": "2026-12-30", "office": "JKS",
		"office_name": officeName, "service": "data_change", "expires": "31-12-2026 16:00 WITA", "position": "99999",
		"appno": strings.Repeat("W", 32), "minutes": "60", "ticket": "A99999", "ahead": "3"}}
}

// Every notice kind, in both languages, with the longest office name and
// the widest values, is one GSM-7 segment with every placeholder filled.
func TestNoticeTextsFitOneSegment(t *testing.T) {
	t.Parallel()
	s := &sms.Service{Catalog: catalog(t)}
	names := []string{"Kantor Imigrasi Kelas I Khusus TPI Tanjung Balai Karimun Selatan Raya"}
	for _, o := range quota.ReferenceOffices {
		names = append(names, o.Name)
	}
	for _, name := range names {
		for _, lang := range i18n.Languages {
			for _, kind := range sms.NoticeKinds {
				text, ok := s.NoticeText(lang, widestNotice(kind, name), sms.Office{})
				switch n, enc := sms.Segments(text); {
				case !ok || strings.HasPrefix(text, "sms.notice."):
					t.Errorf("%s/%s: no template (%q)", lang, kind, text)
				case strings.ContainsAny(text, "{}"):
					t.Errorf("%s/%s: unfilled placeholder in %q", lang, kind, text)
				case n != 1 || enc != sms.GSM7:
					t.Errorf("%s/%s: %d %s segments (%d chars): %q", lang, kind, n, enc, utf8.RuneCountInString(text), text)
				}
			}
		}
	}
	if _, ok := s.NoticeText("id", sms.Notice{Kind: "no_such_kind"}, sms.Office{}); ok {
		t.Error("a kind without a template was worded")
	}
}

// Quota sends the office both as "office" (its code) and "office_name": the
// message always names it by its label, whatever order the map gives.
func TestNoticeTextNamesTheOffice(t *testing.T) {
	t.Parallel()
	s := &sms.Service{Catalog: catalog(t)}
	n := sms.Notice{Kind: quota.NoticeRescheduled, Office: "JKS", Params: map[string]string{"code": "ABCD2345",
		"office": "JKS", "office_name": "Kantor Imigrasi Kelas I Khusus Non TPI Jakarta Selatan", "date": "2026-06-15", "from": "2026-06-12"}}
	want := "Booking ABCD2345 dipindah dari 12-06-2026 ke 15-06-2026 di Kanim Jakarta Selatan."
	for range 50 {
		if got, _ := s.NoticeText("id", n, sms.Office{}); !strings.HasPrefix(got, want) {
			t.Fatalf("got %q, want it to start %q", got, want)
		}
	}
	// Without office_name, the directory's name; without either, the code.
	delete(n.Params, "office_name")
	if got, _ := s.NoticeText("id", n, sms.Office{Code: "JKS", Name: "Kantor Imigrasi Kelas I TPI Denpasar"}); !strings.Contains(got, " di Kanim Denpasar.") {
		t.Errorf("directory name: %q", got)
	}
	if got, _ := s.NoticeText("en", n, sms.Office{}); !strings.Contains(got, " at JKS.") {
		t.Errorf("code only: %q", got)
	}
}

// NotifyMany words each notice as Notify does and stores it once per key,
// with one send job each; a kind without a template is skipped, not an error.
// BERHENTI stops broadcasts only: notices and sign-in codes still go.
func TestNotifyManyAndOptOut(t *testing.T) {
	t.Parallel()
	in := startInstance(t, nil)
	ctx := context.Background()
	if _, err := in.App.Quota.SetDay(ctx, "JKS", time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC), 100, 40, nil, "test"); err != nil {
		t.Fatal(err)
	}
	stopped, other := "+6281311110001", "+6281311110002"
	text(t, in, stopped, "DAFTAR JKS")
	text(t, in, stopped, "BERHENTI")
	if res, err := in.App.SMS.BroadcastQuota(ctx, "JKS"); err != nil || res.Skipped != "" {
		t.Fatalf("broadcast: %+v %v", res, err)
	}
	notice := func(kind, phone, key string) sms.Notice {
		return sms.Notice{Kind: kind, Phone: phone, Office: "JKS", Key: key,
			Params: map[string]string{"code": "ABCD2345", "date": "2026-06-15", "position": "3", "appno": "JKS-2026-000001"}}
	}
	batch := []sms.Notice{notice(quota.NoticeBooked, stopped, "k1"), notice(quota.NoticeDrawLost, other, "k2"),
		notice("no_such_kind", other, "k3"), notice(sms.NoticeReady, other, "k1")} // k1 again: skipped
	for range 2 { // the second time every key is taken: nothing new
		err := pgx.BeginFunc(ctx, in.Pool, func(tx pgx.Tx) error {
			if err := in.App.SMS.NotifyMany(ctx, tx, batch); err != nil {
				return err
			}
			if err := in.App.SMS.Notify(ctx, tx, notice(quota.NoticeDrawLost, other, "single")); err != nil {
				return err
			}
			return in.App.SMS.SendOTP(ctx, tx, stopped, "482913", "otp:1", 10*time.Minute)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	waitSettled(t, in, 15*time.Second)
	got := map[string]string{}
	rows, _ := in.Pool.Query(ctx, `SELECT idem_key, kind || ' ' || status || ' ' || body FROM sms_messages WHERE kind <> 'broadcast'`)
	var key, row string
	if _, err := pgx.ForEachRow(rows, []any{&key, &row}, func() error { got[key] = row; return nil }); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"k1":     "booking_confirmed sent Booking ABCD2345 terkonfirmasi: Kanim Jakarta Selatan, 15-06-2026.",
		"k2":     "draw_lost sent Undian kuota Kanim Jakarta Selatan 15-06-2026: belum dapat kursi. Anda di daftar tunggu no. 3 (kode ABCD2345)",
		"single": "draw_lost sent Undian kuota Kanim Jakarta Selatan 15-06-2026: belum dapat kursi. Anda di daftar tunggu no. 3 (kode ABCD2345)",
		"otp:1":  "otp sent SPPT: Kode verifikasi Anda 482913. Berlaku 10 menit.", // the TTL given
	}
	if len(got) != len(want) {
		t.Errorf("messages: %v", got)
	}
	for k, w := range want {
		if !strings.HasPrefix(got[k], w) {
			t.Errorf("%s: %q, want it to start %q", k, got[k], w)
		}
	}
	if got["k2"] != got["single"] {
		t.Errorf("NotifyMany and Notify word alike: %q vs %q", got["k2"], got["single"])
	}
	var jobs, broadcasts int
	_ = in.Pool.QueryRow(ctx, `SELECT count(*) FROM river_job j JOIN sms_messages m ON m.id = (j.args->>'message_id')::bigint
		WHERE j.kind = 'sms_send' AND m.kind <> 'broadcast'`).Scan(&jobs)
	_ = in.Pool.QueryRow(ctx, `SELECT count(*) FROM sms_messages WHERE kind = 'broadcast' AND to_phone = $1 AND status = 'sent'`, stopped).Scan(&broadcasts)
	if jobs != len(want) || broadcasts != 0 {
		t.Errorf("send jobs %d (want %d), broadcasts sent to a stopped phone %d", jobs, len(want), broadcasts)
	}
}
