package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
)

// `sppt office import` refuses a bad file naming line and field, loads the
// network file, and `sppt office set` changes one office from a date.
func TestOfficeCommands(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clock.NewFake(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC))})
	ctx := context.Background()
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("code,name,city,province,timezone,online\nPKU,Kanim Pekanbaru,Pekanbaru,Riau,WIB,many\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := officeCommand(ctx, in.App, []string{"import", "--file", bad}); err == nil || !strings.Contains(err.Error(), "line 2, field online") {
		t.Errorf("bad file: %v", err)
	}
	if err := officeCommand(ctx, in.App, []string{"import", "--file", "../../demo/offices120.csv"}); err != nil {
		t.Fatal(err)
	}
	err := officeCommand(ctx, in.App, []string{"set", "--office", "AMQ", "--effective_from", "2026-03-09", "--walkin", "mon-fri 10", "--priority", "mon-fri 20"})
	if err == nil || !strings.Contains(err.Error(), "field priority") {
		t.Errorf("priority over walk-in: %v", err)
	}
	if err := officeCommand(ctx, in.App, []string{"set", "--office", "AMQ", "--effective_from", "2026-03-09", "--online", "mon-fri 200"}); err != nil {
		t.Fatal(err)
	}
	if st, _ := in.App.Quota.Day(ctx, "AMQ", time.Date(2026, 4, 9, 0, 0, 0, 0, time.UTC)); st.Online.Capacity != 200 {
		t.Errorf("AMQ 9 April after set: %+v", st)
	}
}
