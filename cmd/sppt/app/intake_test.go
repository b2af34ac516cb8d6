package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/backoffice/printing"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/backoffice/watchlist"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// deskDay is Wednesday 4 March 2026, 09:00 in Jakarta.
var deskDay = time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)

// pngScan is the smallest bytes that read as a PNG.
var pngScan = append([]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, []byte("IHDR scan of an e-KTP")...)

type deskFixture struct {
	t     *testing.T
	in    *apptest.Instance
	kiosk string
	desk  string
}

func newDesk(t *testing.T) *deskFixture {
	clk := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	in.SetQuota(t, "JKS", apptest.Day("2026-03-04"), 10, 2)
	if err := in.App.Queue.SetBooth(context.Background(), "JKS", queue.Booth{Number: 1, Services: civil.OSSBoothServices}, "test"); err != nil {
		t.Fatal(err)
	}
	clk.Set(deskDay)
	f := &deskFixture{t: t, in: in}
	f.desk = in.OfficerToken(t, "JKS", "jks.desk", "desk")
	f.kiosk = in.DeviceToken(t, "JKS", "kiosk", "Kiosk 1")
	return f
}

// with is the fixture failing subtest t.
func (f *deskFixture) with(t *testing.T) *deskFixture {
	g := *f
	g.t = t
	return &g
}

func (f *deskFixture) do(method, path string, body any, want int) apptest.Response {
	f.t.Helper()
	r := f.in.Do(f.t, method, "/api/v1"+path, f.desk, body)
	if r.Status != want {
		f.t.Fatalf("%s %s: %d %s, want %d", method, path, r.Status, r.Body, want)
	}
	return r
}

// walkin issues a walk-in ticket, calls it to booth 1 and takes it in with data.
func (f *deskFixture) walkin(service string, data map[string]string) string {
	f.t.Helper()
	if r := f.in.Do(f.t, "POST", "/api/v1/kiosk/tickets", f.kiosk, map[string]string{"service": service}); r.Status != 201 {
		f.t.Fatalf("walk-in ticket: %d %s", r.Status, r.Body)
	}
	f.do("POST", "/backoffice/booths/1/call-next", nil, 200)
	var out struct {
		ApplicationNo string `json:"application_no"`
	}
	f.do("POST", "/backoffice/intake/take-in", map[string]any{"booth": 1, "walkin": data}, 200).JSON(f.t, &out)
	return out.ApplicationNo
}

func (f *deskFixture) tick(no string, update map[string]any) {
	f.t.Helper()
	f.do("PUT", "/backoffice/intake/"+no, update, 200)
}

// TestIntakeCheckInToBiometric drives a booked applicant by API from kiosk
// check-in through the booth's call, the desk (checklist, correction, scan,
// checks) to the biometric stage, then the receipt and the feedback; and a
// walk-in, who gets an application number only when the desk takes them in.
func TestIntakeCheckInToBiometric(t *testing.T) {
	t.Parallel()
	f := newDesk(t)
	in := f.in
	nik := apptest.NIK("1990-10-20", true, 4401)
	code := in.Book(t, "JKS", "2026-03-04", "new", nik)
	// The citizen's own scan, uploaded from the portal before arrival.
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, []byte("family card scan")...)
	citizen := in.CitizenToken(t, "+6281234567890")
	if r := in.Do(t, "POST", "/api/v1/bookings/"+code+"/documents", citizen, map[string]string{"kind": "family_card",
		"data": base64.StdEncoding.EncodeToString(jpeg)}); r.Status != 201 {
		t.Fatalf("portal upload: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/bookings/"+code+"/documents", in.CitizenToken(t, "+6281200001111"), map[string]string{"kind": "ktp",
		"data": base64.StdEncoding.EncodeToString(jpeg)}); r.Status != 404 {
		t.Fatalf("upload to another citizen's booking: %d %s", r.Status, r.Body)
	}
	r := in.Do(t, "POST", "/api/v1/kiosk/checkin", f.kiosk, map[string]string{"booking_code": code, "nik": nik})
	var ck struct {
		ApplicationNo string `json:"application_no"`
	}
	r.JSON(t, &ck)
	no := ck.ApplicationNo
	if no != "JKS-20260304-A001" {
		t.Fatalf("check-in: %d %s", r.Status, r.Body)
	}
	if r := f.do("POST", "/backoffice/intake/take-in", map[string]any{"booth": 1}, 409); r.ErrorCode() != "no_current_ticket" {
		t.Fatalf("take-in before a call: %s", r.Body)
	}
	f.do("POST", "/backoffice/booths/1/call-next", nil, 200)
	var took struct {
		ApplicationNo string `json:"application_no"`
		Stage         string
	}
	f.do("POST", "/backoffice/intake/take-in", map[string]any{"booth": 1}, 200).JSON(t, &took)
	if took.ApplicationNo != no || took.Stage != "desk" {
		t.Fatalf("take-in: %+v", took)
	}
	// Roles and offices.
	path := "/api/v1/backoffice/intake/" + no
	if r := in.Do(t, "GET", path, in.OfficerToken(t, "JKS", "jks.bio", "biometric"), nil); r.Status != 403 {
		t.Fatalf("biometric officer reads the desk: %d", r.Status)
	}
	if r := in.Do(t, "GET", path, in.OfficerToken(t, "DPS", "dps.desk", "desk"), nil); r.Status != 404 {
		t.Fatalf("another office reads the desk: %d %s", r.Status, r.Body)
	}

	var d struct {
		Applicant struct {
			FullName string `json:"full_name"`
			NIK      string `json:"nik"`
		}
		Checklist []struct{ Doc string }
		Scans     []struct {
			ID     int64
			Source string
		}
	}
	f.do("GET", "/backoffice/intake/"+no, nil, 200).JSON(t, &d)
	if d.Applicant.FullName != "Siti Aminah" || d.Applicant.NIK != nik || len(d.Checklist) != 3 || d.Checklist[2].Doc != "birth_certificate" {
		t.Fatalf("desk view not prefilled from the booking: %+v", d)
	}
	if len(d.Scans) != 1 || d.Scans[0].Source != "portal" {
		t.Fatalf("the citizen's upload at the desk: %+v", d.Scans)
	}
	if got := f.do("GET", "/backoffice/intake/"+no+"/scans/"+itoa(d.Scans[0].ID), nil, 200); !bytes.Equal(got.Body, jpeg) {
		t.Fatalf("portal scan read back: %q", got.Body)
	}
	if r := f.do("POST", "/backoffice/intake/"+no+"/handover", nil, 422); !strings.Contains(string(r.Body), `"checklist"`) {
		t.Fatalf("hand-over with nothing ticked: %s", r.Body)
	}
	if r := f.do("PUT", "/backoffice/intake/"+no, map[string]any{"replacement_reason": "lost"}, 422); !strings.Contains(string(r.Body), `"replacement_reason"`) {
		t.Fatalf("a reason on a new passport: %s", r.Body)
	}
	var rec struct{ Corrected []string }
	f.do("PUT", "/backoffice/intake/"+no, map[string]any{"checklist": map[string]bool{"ktp": true, "family_card": true, "birth_certificate": true},
		"notes": "Tujuan: umrah", "enrolment": map[string]string{"nik": nik, "full_name": "Siti Aminah Putri", "birth_date": "1990-10-20",
			"sex": "F", "phone": "081234567890"}}, 200).JSON(t, &rec)
	if len(rec.Corrected) != 1 || rec.Corrected[0] != "full_name" {
		t.Fatalf("corrected: %v", rec.Corrected)
	}

	// Scans: type by magic bytes, checksum, sealed at rest, reads audited.
	scan := func(data []byte, sum string, want int) apptest.Response {
		return f.do("POST", "/backoffice/intake/"+no+"/scans", map[string]string{"kind": "ktp",
			"data": base64.StdEncoding.EncodeToString(data), "sha256": sum}, want)
	}
	if r := scan([]byte("GIF89a not a document"), "", 422); !strings.Contains(string(r.Body), `"file"`) {
		t.Fatalf("a GIF: %s", r.Body)
	}
	if r := scan(pngScan, strings.Repeat("0", 64), 422); !strings.Contains(string(r.Body), `"sha256"`) {
		t.Fatalf("wrong checksum: %s", r.Body)
	}
	sum := sha256.Sum256(pngScan)
	var sc struct{ ID int64 }
	scan(pngScan, hex.EncodeToString(sum[:]), 201).JSON(t, &sc)
	ctx := context.Background()
	var sealed []byte
	if err := in.Pool.QueryRow(ctx, `SELECT sealed FROM intake_scans WHERE id = $1`, sc.ID).Scan(&sealed); err != nil || bytes.Contains(sealed, []byte("e-KTP")) {
		t.Fatalf("scan not sealed at rest: %v", err)
	}
	got := f.do("GET", "/backoffice/intake/"+no+"/scans/"+itoa(sc.ID), nil, 200)
	if !bytes.Equal(got.Body, pngScan) || got.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("scan read back: %q %s", got.Body, got.Header.Get("Content-Type"))
	}
	var reads int
	_ = in.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'intake.scan.read'`).Scan(&reads)
	if reads != 2 {
		t.Fatalf("scan reads audited: %d", reads)
	}

	var out struct {
		Stage   string
		ReadyOn string `json:"ready_on"`
	}
	f.do("POST", "/backoffice/intake/"+no+"/handover", nil, 200).JSON(t, &out)
	// Thursday, Friday, Monday: three working days after Wednesday.
	if out.Stage != "biometric" || out.ReadyOn != "2026-03-09" {
		t.Fatalf("hand-over: %+v", out)
	}
	if r := in.Do(t, "GET", "/api/v1/backoffice/applications/"+no, f.desk, nil); !strings.Contains(string(r.Body), `"stage":"biometric"`) {
		t.Fatalf("application after hand-over: %s", r.Body)
	}
	if r := f.do("GET", "/backoffice/intake/"+no+"/receipt", nil, 200); !strings.Contains(string(r.Body), `"ready_on":"2026-03-09"`) ||
		!strings.Contains(string(r.Body), "Siti Aminah Putri") {
		t.Fatalf("receipt: %s", r.Body)
	}
	fb := "/backoffice/applications/" + no + "/feedback"
	f.do("POST", fb, map[string]any{"point": "desk", "score": 9}, 422)
	f.do("POST", fb, map[string]any{"point": "desk", "score": 5, "comment": "Cepat"}, 201)
	if r := f.do("POST", fb, map[string]any{"point": "desk", "score": 4}, 409); r.ErrorCode() != "feedback_given" {
		t.Fatalf("second desk feedback: %s", r.Body)
	}

	// A walk-in: no application until the desk takes them in.
	if r := in.Do(t, "POST", "/api/v1/kiosk/tickets", f.kiosk, map[string]string{"service": "renewal"}); r.Status != 201 {
		t.Fatalf("walk-in ticket: %d %s", r.Status, r.Body)
	}
	f.do("POST", "/backoffice/booths/1/call-next", nil, 200)
	if r := f.do("POST", "/backoffice/intake/take-in", map[string]any{"booth": 1}, 422); !strings.Contains(string(r.Body), `"nik"`) {
		t.Fatalf("walk-in without data: %s", r.Body)
	}
	walk := map[string]string{"nik": apptest.NIK("1985-01-15", false, 4402), "full_name": "Budi Santoso", "birth_date": "1985-01-15", "sex": "M", "phone": "081299887766"}
	var w struct {
		ApplicationNo string `json:"application_no"`
	}
	f.do("POST", "/backoffice/intake/take-in", map[string]any{"booth": 1, "walkin": walk}, 200).JSON(t, &w)
	if w.ApplicationNo != "JKS-20260304-B001" {
		t.Fatalf("walk-in's number: %q", w.ApplicationNo)
	}
	if r := in.Do(t, "GET", "/api/v1/applications/"+w.ApplicationNo+"/status?birth_date=1985-01-15", "", nil); !strings.Contains(string(r.Body), `"stage":"desk"`) {
		t.Fatalf("walk-in's public status: %s", r.Body)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestIntakeExceptionsGoOnHold: an existing valid passport asking for a new
// one, a watchlist hit on a spelling variant and a lost passport's
// replacement each end on hold with the hold kind and a reason naming what
// was found; none can slip past the desk by a bare transition either.
func TestIntakeExceptionsGoOnHold(t *testing.T) {
	t.Parallel()
	f := newDesk(t)
	in, ctx := f.in, context.Background()
	all := map[string]bool{"ktp": true, "family_card": true, "birth_certificate": true}
	hold := func(f *deskFixture, no, kind, reason string) {
		t := f.t
		t.Helper()
		var out struct{ Stage, Hold, Reason string }
		f.do("POST", "/backoffice/intake/"+no+"/handover", nil, 200).JSON(t, &out)
		if out.Stage != "on_hold" || out.Hold != kind || !strings.Contains(out.Reason, reason) {
			t.Fatalf("%s: %+v, want on_hold %s", no, out, kind)
		}
		var k string
		if err := in.Pool.QueryRow(ctx, `SELECT hold_kind FROM applications WHERE application_no = $1`, no).Scan(&k); err != nil || k != kind {
			t.Fatalf("%s hold_kind %q %v", no, k, err)
		}
	}

	t.Run("existing passport", func(t *testing.T) {
		f := f.with(t)
		nik := apptest.NIK("1980-05-05", false, 4501)
		if err := (&printing.Register{Pool: in.Pool}).RegisterExisting(ctx, printing.Passport{No: "X1234567", NIK: nik, Office: "JKS",
			BookType: "electronic_48", IssuedOn: apptest.Day("2024-01-10"), ExpiresOn: apptest.Day("2034-01-10")}, deskDay); err != nil {
			t.Fatal(err)
		}
		no := f.walkin("new", map[string]string{"nik": nik, "full_name": "Agus Salim", "birth_date": "1980-05-05", "sex": "M"})
		f.tick(no, map[string]any{"checklist": all})
		if r := f.do("POST", "/backoffice/applications/"+no+"/transitions", map[string]string{"to": "biometric"}, 409); r.ErrorCode() != "intake_check_found" {
			t.Fatalf("bare transition past the check: %s", r.Body)
		}
		hold(f, no, "existing_passport", "2034-01-10")
	})
	t.Run("watchlist spelling variant", func(t *testing.T) {
		f := f.with(t)
		csv := "nik,full_name,birth_date,kind,reason,authority,valid_from,valid_to\n" +
			",Soekarno,1961-06-06,travel_ban,perkara,KEJAGUNG,2026-01-01,\n"
		res, err := watchlist.New(in.Pool, watchlist.DefaultConfig()).Import(ctx, strings.NewReader(csv), "test", deskDay)
		if err != nil || len(res.Added) != 1 {
			t.Fatalf("watchlist import: %+v %v", res, err)
		}
		no := f.walkin("new", map[string]string{"nik": apptest.NIK("1961-06-06", false, 4502), "full_name": "Sukarno", "birth_date": "1961-06-06", "sex": "M"})
		f.tick(no, map[string]any{"checklist": all})
		hold(f, no, "watchlist", "watchlist hit: travel_ban")
		var reason string
		_ = in.Pool.QueryRow(ctx, `SELECT reason FROM application_history h JOIN applications a ON a.id = h.application_id
			WHERE a.application_no = $1 AND h.to_stage = 'on_hold'`, no).Scan(&reason)
		if strings.Contains(reason, "karno") {
			t.Fatalf("the hold's reason carries the name: %q", reason)
		}
	})
	t.Run("lost passport replacement", func(t *testing.T) {
		f := f.with(t)
		no := f.walkin("replacement", map[string]string{"nik": apptest.NIK("1992-02-02", true, 4503), "full_name": "Dewi Lestari", "birth_date": "1992-02-02", "sex": "F"})
		f.tick(no, map[string]any{"replacement_reason": "lost"})
		f.tick(no, map[string]any{"replacement_reason": "lost", "checklist": map[string]bool{"ktp": true, "family_card": true,
			"birth_certificate": true, "police_report": true}})
		hold(f, no, "lost_passport", "lost passport")
	})
}

// TestIntakeReplacementIsBilled: the replacement reason the desk records
// reaches billing's fee rule, so an approved replacement of a damaged
// passport is billed with the damaged charge instead of being refused.
func TestIntakeReplacementIsBilled(t *testing.T) {
	t.Parallel()
	f := newDesk(t)
	in := f.in
	no := f.walkin("replacement", map[string]string{"nik": apptest.NIK("1975-07-07", false, 4601), "full_name": "Rudi Hartono",
		"birth_date": "1975-07-07", "sex": "M", "phone": "081311112222"})
	f.tick(no, map[string]any{"replacement_reason": "damaged", "checklist": map[string]bool{"ktp": true, "family_card": true, "old_passport": true}})
	var out struct{ Stage string }
	f.do("POST", "/backoffice/intake/"+no+"/handover", nil, 200).JSON(t, &out)
	if out.Stage != "biometric" {
		t.Fatalf("damaged replacement hand-over: %+v", out)
	}
	bio := in.OfficerToken(t, "JKS", "jks.bio", "biometric")
	adj := in.OfficerToken(t, "JKS", "jks.adj", "adjudicator")
	if r := in.Do(t, "POST", "/api/v1/backoffice/applications/"+no+"/transitions", bio, map[string]string{"to": "adjudication"}); r.Status != 200 {
		t.Fatalf("to adjudication: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/backoffice/adjudication/"+no+"/approve", adj, map[string]string{"reason": "ok"}); r.Status != 200 {
		t.Fatalf("approve a replacement: %d %s", r.Status, r.Body)
	}
	var lines string
	if err := in.Pool.QueryRow(context.Background(), `SELECT lines::text FROM bills WHERE application_no = $1`, no).Scan(&lines); err != nil ||
		!strings.Contains(lines, `"`+billing.FeeDamaged+`"`) {
		t.Fatalf("bill lines %s %v", lines, err)
	}
}
