package feedback_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
)

func code(err error) string {
	if e, ok := httpx.As(err); ok {
		return e.Code
	}
	return ""
}

// TestFeedbackOncePerPoint: a score 1–5 and a comment per application and
// point; a second answer, a wrong score or point, another office are refused.
func TestFeedbackOncePerPoint(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	ctx := context.Background()
	in.AddApplication(t, "JKS-20260302-A001", "", civil.StageBiometric, apptest.Monday)
	fb := in.App.Feedback
	for _, c := range []struct {
		point   string
		score   int
		comment string
		want    string
	}{
		{"desk", 0, "", "validation_failed"},
		{"desk", 6, "", "validation_failed"},
		{"lobby", 3, "", "validation_failed"},
		{"desk", 3, strings.Repeat("x", 1001), "validation_failed"},
		{"desk", 4, " Antrean cepat ", ""},
		{"desk", 5, "", "feedback_given"},
		{"pickup", 2, "", ""},
	} {
		_, err := fb.Give(ctx, "JKS", "JKS-20260302-A001", c.point, c.score, c.comment)
		if code(err) != c.want || (c.want == "" && err != nil) {
			t.Errorf("%s %d: %v, want %q", c.point, c.score, err, c.want)
		}
	}
	if _, err := fb.Give(ctx, "DPS", "JKS-20260302-A001", "desk", 5, ""); code(err) != "application_not_found" {
		t.Errorf("another office: %v", err)
	}
	sum, err := fb.Summarise(ctx, "JKS", apptest.Monday.AddDate(0, 0, -1))
	if err != nil || len(sum) != 2 || sum[0].Point != "desk" || sum[0].Average != 4 || sum[1].Count != 1 {
		t.Fatalf("summary %+v %v", sum, err)
	}
	var comment string
	_ = in.Pool.QueryRow(ctx, `SELECT comment FROM feedback WHERE point = 'desk'`).Scan(&comment)
	if comment != "Antrean cepat" {
		t.Errorf("comment stored as %q", comment)
	}
}

// TestFeedbackAPI: the officer endpoint takes desk and pickup answers from
// their roles; any other role is 403.
func TestFeedbackAPI(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(apptest.Monday)})
	in.AddApplication(t, "JKS-20260302-A002", "", civil.StageReady, apptest.Monday)
	path := "/api/v1/backoffice/applications/JKS-20260302-A002/feedback"
	if r := in.Do(t, "POST", path, in.OfficerToken(t, "JKS", "jks.cashier", "cashier"), map[string]any{"point": "pickup", "score": 5}); r.Status != 403 {
		t.Fatalf("cashier: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", path, in.OfficerToken(t, "DPS", "dps.pickup", "pickup"), map[string]any{"point": "pickup", "score": 5}); r.Status != 404 {
		t.Fatalf("another office: %d %s", r.Status, r.Body)
	}
	r := in.Do(t, "POST", path, in.OfficerToken(t, "JKS", "jks.pickup", "pickup"), map[string]any{"point": "pickup", "score": 5, "comment": "ok"})
	if r.Status != 201 || !strings.Contains(string(r.Body), `"score":5`) {
		t.Fatalf("pickup feedback: %d %s", r.Status, r.Body)
	}
	if r := in.Do(t, "POST", path, in.OfficerToken(t, "JKS", "jks.desk", "desk"), map[string]any{"point": "pickup", "score": 1},
		"Accept-Language", "en"); r.Status != 409 || !strings.Contains(string(r.Body), "already given") {
		t.Fatalf("second pickup feedback: %d %s", r.Status, r.Body)
	}
}
