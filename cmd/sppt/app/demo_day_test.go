package app_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// `make run` plays a demo office day before it serves: the newcomer's
// backoffice then has applications in most stages, and a second start
// plays none.
func TestDemoDayLeavesApplicationsInEveryStage(t *testing.T) {
	t.Parallel()
	wib, _ := time.LoadLocation("Asia/Jakarta")
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(time.Date(2026, 3, 5, 10, 0, 0, 0, wib))})
	ctx := context.Background()
	if err := in.App.SeedDemo(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := in.App.DemoDay(ctx, &out); err != nil {
		t.Fatal(err)
	}
	t.Log(out.String())
	if !strings.Contains(out.String(), "on 2026-03-04") || !strings.Contains(out.String(), "officeday: applicants=30 ") {
		t.Fatalf("the demo day did not run on the last working day: %q", out.String())
	}
	counts, err := in.App.Backoffice.Applications.StageCounts(ctx, "JKS")
	if err != nil {
		t.Fatal(err)
	}
	var stages []string
	for _, s := range []civil.Stage{civil.StageQueued, civil.StageDesk, civil.StageBiometric, civil.StageAdjudication,
		civil.StageBilling, civil.StagePrinting, civil.StageValidation, civil.StageReady, civil.StagePickedUp} {
		if counts[s] > 0 {
			stages = append(stages, string(s))
		}
	}
	if len(stages) < 7 || counts[civil.StagePickedUp] == 0 {
		t.Fatalf("stages with applications: %v (%v), want at least 7 of 9 including picked_up", stages, counts)
	}
	out.Reset()
	if err := in.App.DemoDay(ctx, &out); err != nil || out.Len() != 0 {
		t.Fatalf("a second start played another day: %q %v", out.String(), err)
	}
}
