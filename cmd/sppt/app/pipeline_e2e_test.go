package app_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
)

// One booked applicant, by API only from the kiosk on (apptest.PayByAPI):
// check-in, the booth's call, the OSS desk (take-in, checklist, hand-over
// with its checks), the biometric station's capture (1:N identification
// finds no one else), adjudication's approval, and the bank's signed
// callback and its retry; the history holds every stage in order and the
// retry is recorded once.
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
	oss := apptest.OSS{Booth: 1, Kiosk: in.DeviceToken(t, "JKS", "kiosk", "Kiosk 1"), Desk: desk,
		Station: in.DeviceToken(t, "JKS", "biometric", "Stasiun 1"), Adjudicator: in.OfficerToken(t, "JKS", "jks.adj", "adjudicator"),
		BankSecret: secret}
	no := in.PayByAPI(t, oss, code, nik, "BNI-E2E-1", unitFace(rand.New(rand.NewPCG(91, 1)), nil, 0))

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
