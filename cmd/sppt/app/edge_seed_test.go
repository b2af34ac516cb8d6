package app_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/config"
)

// Demo data holds officers with one published password and enrolled
// devices: a production deployment refuses to get it.
func TestSeedDemoRefusedInProduction(t *testing.T) {
	t.Parallel()
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Configure: func(c *config.Config) {
		c.Env = "production"
	}})
	err := in.App.SeedDemo(context.Background(), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "SPPT_ENV=production") {
		t.Fatalf("seed --demo in production: %v", err)
	}
	var n int
	if err := in.Pool.QueryRow(context.Background(), `SELECT count(*) FROM officers`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d officers after a refused demo seed (%v)", n, err)
	}
}
