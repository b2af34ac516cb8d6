package quota_test

import (
	"testing"
	"time"
)

// The release job materialises the newly released days with their draw
// window and schedules the draw's close; running it again changes nothing.
func TestReleaseMaterialisesDaysWithDrawWindow(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 0, 2, 0, 0, wib))
	n, err := e.s.Release(e.ctx, "JKS")
	if err != nil {
		t.Fatal(err)
	}
	// 2 March – 1 April: 31 days, minus 8 weekend days and the 18–24 March
	// holidays that fall on weekdays (18, 19, 20, 23, 24).
	if n != 31-8-5 {
		t.Errorf("released %d days", n)
	}
	if again, _ := e.s.Release(e.ctx, "JKS"); again != 0 {
		t.Errorf("second run released %d", again)
	}
	var released, closes time.Time
	var drawn *time.Time
	if err := e.in.Pool.QueryRow(e.ctx, `SELECT released_at, draw_closes_at, drawn_at FROM quota_days WHERE office = 'JKS' AND day = '2026-04-01'`).
		Scan(&released, &closes, &drawn); err != nil {
		t.Fatal(err)
	}
	if !released.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, wib)) || !closes.Equal(released.Add(10*time.Minute)) || drawn != nil {
		t.Errorf("newest day: released %v, draw closes %v, drawn %v", released, closes, drawn)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM river_job WHERE kind = 'quota_close_draw' AND args->>'day' = '2026-04-01'`); n != 1 {
		t.Errorf("draw close jobs: %d", n)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM quota_days WHERE office = 'JKS' AND drawn_at IS NULL`); n != 1 {
		t.Errorf("days with an open draw: %d, want only the newest", n)
	}
}

func TestDemoQuota(t *testing.T) {
	t.Parallel()
	e := start(t, time.Date(2026, 3, 2, 17, 0, 0, 0, wib)) // after closing: today is skipped
	n, err := e.s.SeedDemo(e.ctx, []string{"JKS", "DPS", "JYP"}, 30)
	if err != nil || n != 90 {
		t.Fatalf("seeded %d: %v", n, err)
	}
	st, err := e.s.Day(e.ctx, "JKS", date("2026-03-03"))
	if err != nil || !st.Open || st.InDraw || st.Online.Capacity != 150 || st.Walkin.Capacity != 40 || st.Priority.Capacity != 10 {
		t.Errorf("JKS tomorrow: %+v %v", st, err)
	}
	if again, _ := e.s.SeedDemo(e.ctx, []string{"JKS"}, 30); again != 0 {
		t.Errorf("second seed added %d", again)
	}
}
