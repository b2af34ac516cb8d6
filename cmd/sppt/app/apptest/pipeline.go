package apptest

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/sppt/sppt/backoffice/billing"
)

// OSS is who PayByAPI acts as in one office: its kiosk, an OSS booth (set
// up by the caller) and the desk officer at it, a biometric station, an
// adjudicator, and the bank with the instance's BANK_CALLBACK_SECRET.
type OSS struct {
	Booth                             int
	Kiosk, Desk, Station, Adjudicator string // device and officer tokens
	BankSecret                        string
}

// PayByAPI takes one booked applicant (booking code, NIK) from the kiosk to
// a paid bill by the HTTP API only: check-in, the booth's call, the OSS
// desk (take-in, checklist, hand-over with its checks), the station's
// capture of face (1:N finds no one else), the adjudicator's approval and
// the bank's signed callback for the bill, sent twice as a bank retrying
// would (reference names it). The application is then in printing; its
// number is returned.
func (in *Instance) PayByAPI(t testing.TB, o OSS, code, nik, reference string, face []float64) string {
	t.Helper()
	must := func(r Response, want int, what string) Response {
		t.Helper()
		if r.Status != want {
			t.Fatalf("%s: %d %s, want %d", what, r.Status, r.Body, want)
		}
		return r
	}
	must(in.Do(t, "POST", "/api/v1/kiosk/checkin", o.Kiosk, map[string]string{"booking_code": code, "nik": nik}), 201, "check-in")
	must(in.Do(t, "POST", "/api/v1/backoffice/booths/"+strconv.Itoa(o.Booth)+"/call-next", o.Desk, nil), 200, "call")
	var took struct {
		ApplicationNo string `json:"application_no"`
	}
	must(in.Do(t, "POST", "/api/v1/backoffice/intake/take-in", o.Desk, map[string]any{"booth": o.Booth}), 200, "take-in").JSON(t, &took)
	no := took.ApplicationNo
	must(in.Do(t, "PUT", "/api/v1/backoffice/intake/"+no, o.Desk, map[string]any{"checklist": map[string]bool{
		"ktp": true, "family_card": true, "birth_certificate": true}}), 200, "checklist")
	must(in.Do(t, "POST", "/api/v1/backoffice/intake/"+no+"/handover", o.Desk, nil), 200, "hand-over")

	r := must(in.Do(t, "POST", "/api/v1/devices/captures", o.Station, CaptureBody(t, no, face)), 201, "capture")
	if !strings.Contains(string(r.Body), `"accepted":true`) {
		t.Fatalf("capture refused: %s", r.Body)
	}
	must(in.Do(t, "POST", "/api/v1/backoffice/adjudication/"+no+"/approve", o.Adjudicator,
		map[string]string{"reason": "dokumen lengkap"}), 200, "approve")

	var billCode string
	var amount int64
	if err := in.Pool.QueryRow(context.Background(), `SELECT billing_code, amount FROM bills WHERE application_no = $1`, no).
		Scan(&billCode, &amount); err != nil {
		t.Fatalf("no bill after approval: %v", err)
	}
	now := in.App.Clock.Now()
	body, _ := json.Marshal(map[string]any{"billing_code": billCode, "amount": amount,
		"paid_at": now.Format("2006-01-02T15:04:05Z07:00"), "reference": reference})
	sig := billing.Sign([]byte(o.BankSecret), body, now)
	must(in.Do(t, "POST", "/api/v1/payments/callback", "", body, "X-SPPT-Signature", sig), 200, "bank callback")
	must(in.Do(t, "POST", "/api/v1/payments/callback", "", body, "X-SPPT-Signature", sig), 200, "replayed callback")
	return no
}
