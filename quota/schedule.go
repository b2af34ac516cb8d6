package quota

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/robfig/cron/v3"

	"github.com/sppt/sppt/internal/jobs"
)

// version is one set of an office's rules in force from a day on. The base
// version (from zero) comes from the offices row; office_schedules rows
// replace it from their effective_from. Weekday arrays are ISO-ordered:
// index 0 is Monday, 6 Sunday.
type version struct {
	from          time.Time
	open          [7]bool
	opens, closes [7]time.Duration // since local midnight
	online        [7]int
	walkin        [7]int
	priority      [7]int
	windowDays    int
	releaseCron   string
	release       cron.Schedule
	drawWindow    time.Duration
	hold          time.Duration
}

// isoIndex is t's weekday as an index of a version's arrays (Monday 0).
func isoIndex(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

// baseVersion is the offices row's rules: Monday to Friday open, the same
// hours and capacities every open day.
func (r *rules) baseVersion() version {
	v := version{windowDays: r.windowDays, releaseCron: r.releaseCron, release: r.release,
		drawWindow: r.drawWindow, hold: r.hold}
	for i := range 7 {
		v.open[i] = i < 5
		v.opens[i], v.closes[i] = r.opens, r.closes
		v.online[i], v.walkin[i], v.priority[i] = r.defOnline, r.defWalkin, r.defPriority
	}
	return v
}

// loadVersions reads the office's schedule rows, oldest first.
func loadVersions(ctx context.Context, q querier, office string) ([]version, error) {
	rows, err := q.Query(ctx, `SELECT effective_from, opens_at::text[], closes_at::text[], online, walkin, priority,
		booking_window_days, release_cron, draw_window_minutes, waitlist_hold_minutes
		FROM office_schedules WHERE office = $1 ORDER BY effective_from`, office)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (version, error) {
		var v version
		var opens, closes []*string
		var online, walkin, prio []int
		var drawMin, holdMin int
		if err := row.Scan(&v.from, &opens, &closes, &online, &walkin, &prio, &v.windowDays, &v.releaseCron,
			&drawMin, &holdMin); err != nil {
			return v, err
		}
		for i := range 7 {
			if opens[i] != nil && closes[i] != nil {
				v.open[i] = true
				v.opens[i], v.closes[i] = clockOf(*opens[i]), clockOf(*closes[i])
			}
			v.online[i], v.walkin[i], v.priority[i] = online[i], walkin[i], prio[i]
		}
		v.drawWindow, v.hold = time.Duration(drawMin)*time.Minute, time.Duration(holdMin)*time.Minute
		var err error
		if v.release, err = jobs.ParseSpec(v.releaseCron); err != nil {
			return v, fmt.Errorf("office %s from %s: release_cron %q: %w", office, dayString(v.from), v.releaseCron, err)
		}
		return v, nil
	})
}

// clockOf reads Postgres' "HH:MM:SS" as a duration since midnight.
func clockOf(s string) time.Duration {
	t, err := time.Parse("15:04:05", s)
	if err != nil {
		return 0
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
}

// versionOn is the version in force on a calendar day.
func (r *rules) versionOn(day time.Time) version {
	v := r.base
	for _, w := range r.versions {
		if w.from.After(day) {
			break
		}
		v = w
	}
	return v
}

// on is the office's rules as they stand for one calendar day: the hours,
// capacities and release schedule of the version in force that day. Every
// rule that depends on the day reads it through on, so a version dated
// next Monday changes nothing before then.
func (r *rules) on(day time.Time) *rules {
	if r.viewOf != nil && r.viewDay.Equal(day) {
		return r
	}
	root := r
	if r.viewOf != nil {
		root = r.viewOf
	}
	v := root.versionOn(day)
	w := *root
	w.viewOf, w.viewDay = root, day
	i := isoIndex(day)
	w.dayOff = !v.open[i]
	w.opens, w.closes = v.opens[i], v.closes[i]
	w.defOnline, w.defWalkin, w.defPriority = v.online[i], v.walkin[i], v.priority[i]
	w.windowDays, w.releaseCron, w.release = v.windowDays, v.releaseCron, v.release
	w.drawWindow, w.hold = v.drawWindow, v.hold
	return &w
}

// maxWindow is the longest booking window of any version from today on:
// how far ahead a release must look.
func (r *rules) maxWindow(today time.Time) int {
	n := r.versionOn(today).windowDays
	for _, v := range r.versions {
		if v.from.After(today) {
			n = max(n, v.windowDays)
		}
	}
	return n
}

// releaseSpecs are the release schedules in force now or later, so the
// sweep fires for a version's cron before its first day.
func (r *rules) releaseSpecs(today time.Time) []string {
	specs := []string{r.versionOn(today).releaseCron}
	for _, v := range r.versions {
		if v.from.After(today) {
			specs = append(specs, v.releaseCron)
		}
	}
	return specs
}
