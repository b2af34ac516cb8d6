package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
)

// `sppt quota set` names the flag that is wrong, and sets a day when none is.
func TestQuotaSetNamesTheWrongFlag(t *testing.T) {
	t.Parallel()
	wib := time.FixedZone("WIB", 7*3600)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, wib))})
	ctx := context.Background()
	for args, want := range map[string]string{
		"set --date 2026-03-09 --online 5 --walkin 1":                           "--office",
		"set --office JKS --date 09-03-2026 --online 5 --walkin 1":              "--date",
		"set --office JKS --date 2026-03-09 --walkin 1":                         "--online",
		"set --office JKS --date 2026-03-09 --online 5":                         "--walkin",
		"set --office ZZZ --date 2026-03-09 --online 5 --walkin 1":              "--office",
		"set --office JKS --date 2026-03-09 --online 5 --walkin 1 --priority 4": "--priority",
	} {
		err := quotaSet(ctx, in.App, strings.Fields(args))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want it to name %s", args, err, want)
		}
	}
	if err := quotaSet(ctx, in.App, strings.Fields("set --office DPS --date 2026-03-08 --online 7 --walkin 3 --priority 1")); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)
	if st, _ := in.App.Quota.Day(ctx, "DPS", day); !st.Open || st.Online.Capacity != 7 || st.Priority.Capacity != 1 {
		t.Errorf("after quota set: %+v", st)
	}
}
