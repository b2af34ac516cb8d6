package app_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
)

// One booked applicant, by API only from the kiosk on: check-in, the
// booth's call, the OSS desk (take-in, checklist, hand-over with its
// checks), the biometric station's capture (1:N identification finds no
// one else), adjudication's approval, and the bank's signed callback; the
// history holds every stage in order.
func TestPipelineEndToEndByAPI(t *testing.T) {
	t.Parallel()
	const secret = "e2e-bank-callback-secret-0123"
	clk := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk, Configure: func(c *config.Config) {
		c.BankCallbackSecret = secret
	}})
	ctx := context.Background()
	in.SetQuota(t, "JKS", apptest.Day("2026-03-04"), 10, 2)
	if err := in.App.Queue.SetBooth(ctx, "JKS", queue.Booth{Number: 1, Services: civil.OSSBoothServices}, "test"); err != nil {
		t.Fatal(err)
	}
	clk.Set(deskDay)
	nik := apptest.NIK("1990-10-20", true, 9101)
	code := in.Book(t, "JKS", "2026-03-04", "new", nik)
	desk := in.OfficerToken(t, "JKS", "jks.desk", "desk")
	must := func(r apptest.Response, want int, what string) apptest.Response {
		t.Helper()
		if r.Status != want {
			t.Fatalf("%s: %d %s, want %d", what, r.Status, r.Body, want)
		}
		return r
	}
	must(in.Do(t, "POST", "/api/v1/kiosk/checkin", in.DeviceToken(t, "JKS", "kiosk", "Kiosk 1"),
		map[string]string{"booking_code": code, "nik": nik}), 201, "check-in")
	must(in.Do(t, "POST", "/api/v1/backoffice/booths/1/call-next", desk, nil), 200, "call")
	var took struct {
		ApplicationNo string `json:"application_no"`
	}
	must(in.Do(t, "POST", "/api/v1/backoffice/intake/take-in", desk, map[string]any{"booth": 1}), 200, "take-in").JSON(t, &took)
	no := took.ApplicationNo
	must(in.Do(t, "PUT", "/api/v1/backoffice/intake/"+no, desk, map[string]any{"checklist": map[string]bool{
		"ktp": true, "family_card": true, "birth_certificate": true}}), 200, "checklist")
	must(in.Do(t, "POST", "/api/v1/backoffice/intake/"+no+"/handover", desk, nil), 200, "hand-over")

	rng := rand.New(rand.NewPCG(91, 1))
	r := must(in.Do(t, "POST", "/api/v1/devices/captures", in.DeviceToken(t, "JKS", "biometric", "Stasiun 1"),
		captureRequest(t, no, unitFace(rng, nil, 0))), 201, "capture")
	if !strings.Contains(string(r.Body), `"accepted":true`) {
		t.Fatalf("capture refused: %s", r.Body)
	}
	adj := in.OfficerToken(t, "JKS", "jks.adj", "adjudicator")
	must(in.Do(t, "POST", "/api/v1/backoffice/adjudication/"+no+"/approve", adj, map[string]string{"reason": "dokumen lengkap"}), 200, "approve")

	var billCode string
	var amount int64
	if err := in.Pool.QueryRow(ctx, `SELECT billing_code, amount FROM bills WHERE application_no = $1`, no).Scan(&billCode, &amount); err != nil {
		t.Fatalf("no bill after approval: %v", err)
	}
	body, _ := json.Marshal(map[string]any{"billing_code": billCode, "amount": amount,
		"paid_at": clk.Now().Format("2006-01-02T15:04:05Z07:00"), "reference": "BNI-E2E-1"})
	sig := billing.Sign([]byte(secret), body, clk.Now())
	must(in.Do(t, "POST", "/api/v1/payments/callback", "", body, "X-SPPT-Signature", sig), 200, "bank callback")
	must(in.Do(t, "POST", "/api/v1/payments/callback", "", body, "X-SPPT-Signature", sig), 200, "replayed callback")

	var app struct {
		Stage   string
		History []struct{ Stage string }
	}
	in.Do(t, "GET", "/api/v1/backoffice/applications/"+no, desk, nil).JSON(t, &app)
	var stages []string
	for _, h := range app.History {
		stages = append(stages, h.Stage)
	}
	want := "queued desk biometric adjudication billing printing"
	if app.Stage != "printing" || strings.Join(stages, " ") != want {
		t.Fatalf("after the callback: stage %s, history %v; want printing after %q", app.Stage, stages, want)
	}
	var paid int
	if err := in.Pool.QueryRow(ctx, `SELECT count(*) FROM payment_callbacks WHERE reference = 'BNI-E2E-1'`).Scan(&paid); err != nil || paid != 1 {
		t.Fatalf("the replayed callback was recorded %d times (%v), want once", paid, err)
	}
}
