package quota_test

import (
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
)

const addPekanbaru = `INSERT INTO offices (code, name, city, region, timezone, release_cron)
	VALUES ('PKU', 'Kantor Imigrasi Kelas I TPI Pekanbaru', 'Pekanbaru', 'Riau', 'Asia/Jakarta', '0 12 * * *')`

// newestReleased is when PKU's 1 April was released and when its draw
// closes; ok is false while the day has no row.
func newestReleased(t *testing.T, e env) (released, closes time.Time, ok bool) {
	t.Helper()
	rows, err := e.in.Pool.Query(e.ctx, `SELECT released_at, draw_closes_at FROM quota_days WHERE office = 'PKU' AND day = '2026-04-01'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		return released, closes, false
	}
	if err := rows.Scan(&released, &closes); err != nil {
		t.Fatal(err)
	}
	return released, closes, true
}

// An office added while the service runs gets its days released by the
// running scheduler once the clock passes its release time: no restart.
func TestReleaseSchedulePicksUpNewOffice(t *testing.T) {
	t.Parallel()
	// The fake clock stands still, so the scheduler's next minute (12:00) is
	// three seconds of real time away.
	e := start(t, time.Date(2026, 3, 2, 11, 59, 57, 0, wib))
	exec(t, e.in.Pool, addPekanbaru) // PKU releases at 12:00 WIB: 1 April opens then
	if _, _, ok := newestReleased(t, e); ok {
		t.Fatal("PKU's 1 April released before its release time")
	}
	// Past 12:00, and before 12:01: whether the sweep of 12:00 already slept
	// or not, the next one runs with the clock past the release.
	e.clk.Set(time.Date(2026, 3, 2, 12, 0, 59, 500_000_000, wib))
	deadline := time.Now().Add(15 * time.Second)
	for {
		released, closes, ok := newestReleased(t, e)
		if ok {
			if want := time.Date(2026, 3, 2, 12, 0, 0, 0, wib); !released.Equal(want) || !closes.Equal(want.Add(10*time.Minute)) {
				t.Errorf("PKU 1 April: released %v, draw closes %v", released, closes)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the scheduler never released the office added after start")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := count(t, e.in.Pool, `SELECT count(*) FROM river_job WHERE kind = 'quota_close_draw' AND args->>'office' = 'PKU'`); n != 1 {
		t.Errorf("PKU draw close jobs: %d", n)
	}
}

// Each sweep releases the offices whose own release_cron fired since the
// previous one, in their own zones, and an office added since the process
// started at once; the others' days are left to their schedules.
func TestReleaseSweepFollowsEachOfficesSchedule(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 3, 2, 10, 58, 0, 0, wib))
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk, Roles: &app.Roles{HTTP: true, Workers: true}})
	e := env{in: in, s: in.App.Quota, clk: clk, ctx: t.Context()}
	// DPS (WITA) releases at 12:00 its own time, 11:00 WIB: one hour before PKU.
	exec(t, e.in.Pool, `UPDATE offices SET release_cron = '0 12 * * *' WHERE code = 'DPS'`)
	sweep := e.s.ReleaseSweep(e.ctx) // the process starts: DPS and JKS exist, PKU does not yet
	exec(t, e.in.Pool, addPekanbaru)
	fire := func(at time.Time) {
		t.Helper()
		clk.Set(at)
		if err := sweep(e.ctx, at); err != nil {
			t.Fatal(err)
		}
	}
	latest := func(office string) string {
		t.Helper()
		var d *time.Time
		if err := e.in.Pool.QueryRow(e.ctx, `SELECT max(day) FROM quota_days WHERE office = $1`, office).Scan(&d); err != nil {
			t.Fatal(err)
		}
		if d == nil {
			return "none"
		}
		return d.Format("2006-01-02")
	}
	want := func(when, office, day string) {
		t.Helper()
		if got := latest(office); got != day {
			t.Errorf("%s: %s's latest released day %s, want %s", when, office, got, day)
		}
	}
	fire(time.Date(2026, 3, 2, 10, 59, 0, 0, wib))
	want("10:59", "PKU", "2026-03-31") // new: everything its schedule has released so far
	want("10:59", "DPS", "none")       // known, not due
	fire(time.Date(2026, 3, 2, 11, 0, 0, 0, wib))
	want("11:00", "DPS", "2026-04-01") // 12:00 WITA
	want("11:00", "PKU", "2026-03-31")
	fire(time.Date(2026, 3, 2, 12, 1, 0, 0, wib)) // the 12:00 sweep was missed: caught up
	want("12:01", "PKU", "2026-04-01")
	want("12:01", "JKS", "none") // its midnight release is not due again until tomorrow
}
