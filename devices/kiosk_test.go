package devices_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
)

type ticket struct {
	Ticket, Service, Office, Date string
	WaitingAhead                  int    `json:"waiting_ahead"`
	ApplicationNo                 string `json:"application_no"`
}

func TestKioskCheckinAndWalkins(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	in.SetQuota(t, "JKS", apptest.Day("2026-03-02"), 2, 1)
	in.SetQuota(t, "JKS", apptest.Day("2026-03-03"), 2, 1)
	in.SetQuota(t, "DPS", apptest.Day("2026-03-02"), 2, 1)
	const nik = "3273056010900009"
	jksToday := in.Book(t, "JKS", "2026-03-02", "new", nik)
	dps := in.Book(t, "DPS", "2026-03-02", "renewal", "3273056010900010")
	jksTomorrow := in.Book(t, "JKS", "2026-03-03", "renewal", "3273056010900011")
	kiosk := in.DeviceToken(t, "JKS", "kiosk", "Kiosk 1")
	display := in.DeviceToken(t, "JKS", "display", "TV 1")
	officer := in.OfficerToken(t, "JKS", "jks.desk", "desk")

	checkin := func(tok, code, nik string) apptest.Response {
		return in.Do(t, "POST", "/api/v1/kiosk/checkin", tok, map[string]string{"booking_code": code, "nik": nik})
	}
	for name, tok := range map[string]string{"display": display, "officer": officer, "none": ""} {
		if r := checkin(tok, jksToday, nik); r.Status != 401 && r.Status != 403 {
			t.Errorf("%s token at the kiosk: %d %s", name, r.Status, r.Body)
		}
	}
	if r := checkin(kiosk, jksToday, "3273056010900099"); r.Status != 422 || r.ErrorCode() != "nik_mismatch" {
		t.Fatalf("wrong NIK: %d %s", r.Status, r.Body)
	}
	if r := checkin(kiosk, jksToday, "12345"); r.Status != 422 || !strings.Contains(string(r.Body), `"nik"`) {
		t.Fatalf("malformed NIK: %d %s", r.Status, r.Body)
	}
	if r := checkin(kiosk, "NOPE0000", nik); r.Status != 404 || r.ErrorCode() != "booking_not_found" {
		t.Fatalf("unknown code: %d %s", r.Status, r.Body)
	}
	if r := checkin(kiosk, dps, "3273056010900010"); r.ErrorCode() != "wrong_office" {
		t.Fatalf("other office: %d %s", r.Status, r.Body)
	}
	if r := checkin(kiosk, jksTomorrow, "3273056010900011"); r.ErrorCode() != "wrong_day" {
		t.Fatalf("other day: %d %s", r.Status, r.Body)
	}
	r := checkin(kiosk, strings.ToLower(jksToday), nik) // typed in lower case
	var first ticket
	r.JSON(t, &first)
	if r.Status != 201 || first.Ticket != "A001" || first.Office != "JKS" || first.Date != "2026-03-02" || first.ApplicationNo != "JKS-20260302-A001" {
		t.Fatalf("check-in: %d %s", r.Status, r.Body)
	}
	var again ticket
	if r := checkin(kiosk, jksToday, nik); r.Status != 201 {
		t.Fatalf("second check-in: %d %s", r.Status, r.Body)
	} else if r.JSON(t, &again); again != first {
		t.Fatalf("second check-in gave %+v, first %+v", again, first)
	}
	var stage, status string
	_ = in.Pool.QueryRow(context.Background(), `SELECT a.stage, b.status FROM applications a JOIN bookings b ON b.id = a.booking_id
		WHERE a.application_no = 'JKS-20260302-A001'`).Scan(&stage, &status)
	if stage != "queued" || status != "checked_in" {
		t.Fatalf("application stage %q, booking status %q", stage, status)
	}

	walkin := func(service string) apptest.Response {
		return in.Do(t, "POST", "/api/v1/kiosk/tickets", kiosk, map[string]string{"service": service})
	}
	var w ticket
	if r := walkin("new"); r.Status != 201 {
		t.Fatalf("walk-in: %d %s", r.Status, r.Body)
	} else if r.JSON(t, &w); w.Ticket != "A002" || w.WaitingAhead != 1 {
		t.Fatalf("walk-in ticket %+v", w)
	}
	// Capacity 2 with 1 kept for priority: the general share is gone.
	if r := walkin("renewal"); r.Status != 409 || r.ErrorCode() != "walkin_quota_exhausted" {
		t.Fatalf("walk-in beyond quota: %d %s", r.Status, r.Body)
	}
	if r := walkin("priority"); r.Status != 201 || !strings.Contains(string(r.Body), `"D001"`) {
		t.Fatalf("priority walk-in: %d %s", r.Status, r.Body)
	}
	if r := walkin("priority"); r.Status != 409 {
		t.Fatalf("priority walk-in beyond its share: %d %s", r.Status, r.Body)
	}
	if r := walkin("pickup"); r.Status != 201 || !strings.Contains(string(r.Body), `"E001"`) {
		t.Fatalf("pickup takes no seat: %d %s", r.Status, r.Body)
	}
	if r := walkin("visa"); r.Status != 422 {
		t.Fatalf("unknown service: %d %s", r.Status, r.Body)
	}
	if r := walkin("new"); r.Status != 409 || !strings.Contains(r.Header.Get("Content-Type"), "json") {
		t.Fatalf("exhausted again: %d", r.Status)
	}
	var issued, pIssued int
	_ = in.Pool.QueryRow(context.Background(), `SELECT walkin_issued, priority_issued FROM quota_days WHERE office = 'JKS' AND day = '2026-03-02'`).Scan(&issued, &pIssued)
	if issued != 2 || pIssued != 1 {
		t.Fatalf("walk-in seats issued %d (priority %d), want 2 (1)", issued, pIssued)
	}
	// English messages on request.
	r = in.Do(t, "POST", "/api/v1/kiosk/checkin", kiosk, map[string]string{"booking_code": jksToday, "nik": "3273056010900099"}, "Accept-Language", "en")
	if !strings.Contains(string(r.Body), "cannot be transferred") {
		t.Fatalf("English nik_mismatch: %s", r.Body)
	}
}

func TestDevicesRegistryHeartbeatRevoke(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	kiosk := in.DeviceToken(t, "JKS", "kiosk", "Kiosk 1")
	in.DeviceToken(t, "JKS", "printer", "Printer 1")
	in.DeviceToken(t, "DPS", "kiosk", "Kiosk DPS")
	admin := in.OfficerToken(t, "JKS", "jks.admin", "admin")
	desk := in.OfficerToken(t, "JKS", "jks.desk", "desk")
	otherAdmin := in.OfficerToken(t, "DPS", "dps.admin", "admin")

	if r := in.Do(t, "POST", "/api/v1/devices/heartbeat", kiosk, map[string]string{"status": "paper ok"}); r.Status != 200 || !strings.Contains(string(r.Body), `"kind":"kiosk"`) {
		t.Fatalf("heartbeat: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "GET", "/api/v1/backoffice/devices", desk, nil); r.Status != 403 {
		t.Fatalf("desk officer listing devices: %d", r.Status)
	}
	var list struct {
		Devices []struct{ ID, Name, Kind, State, Office string }
	}
	in.Do(t, "GET", "/api/v1/backoffice/devices", admin, nil).JSON(t, &list)
	states := map[string]string{}
	var kioskID string
	for _, d := range list.Devices {
		states[d.Name] = d.State
		if d.Name == "Kiosk 1" {
			kioskID = d.ID
		}
	}
	if len(list.Devices) != 2 || states["Kiosk 1"] != "online" || states["Printer 1"] != "never_seen" {
		t.Fatalf("devices: %+v", list.Devices)
	}
	if r := in.Do(t, "POST", "/api/v1/backoffice/devices/"+kioskID+"/revoke", otherAdmin, nil); r.Status != 404 {
		t.Fatalf("another office revoking: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/backoffice/devices/"+kioskID+"/revoke", admin, nil); r.Status != 200 || !strings.Contains(string(r.Body), `"revoked"`) {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", "/api/v1/devices/heartbeat", kiosk, nil); r.Status != 401 {
		t.Fatalf("revoked device: %d %s", r.Status, r.Body)
	}
	for _, path := range []string{"/api/v1/kiosk/checkin", "/api/v1/kiosk/tickets", "/api/v1/devices/heartbeat",
		"/api/v1/offices/{code}/feed", "/api/v1/offices/{code}/queue", "/api/v1/offices/{code}/running-text",
		"/api/v1/backoffice/booths/{booth}/call-next", "/api/v1/backoffice/devices"} {
		method := "GET"
		if strings.Contains(path, "kiosk") || strings.Contains(path, "heartbeat") || strings.Contains(path, "call-next") {
			method = "POST"
		}
		if !in.App.Doc.Has(method, path) {
			t.Errorf("%s %s is not in the OpenAPI document", method, path)
		}
	}
	_ = queue.Roles
}
