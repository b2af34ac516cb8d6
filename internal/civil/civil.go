// Package civil is SPPT's shared vocabulary: the calendar day in an office's
// time zone, the service codes with their ticket prefixes, the application
// stages, and the queue ticket as every package sees it. It holds words, not
// rules: no package state beyond a cache of loaded zones, no SQL.
package civil

import (
	"fmt"
	"sync"
	"time"
)

var zones sync.Map // IANA name → *time.Location

// Zone loads the IANA time zone name, remembered once loaded (zones do not
// change under a running process).
func Zone(name string) (*time.Location, error) {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, err)
	}
	zones.Store(name, loc)
	return loc, nil
}

// ZoneOr is Zone, or fallback when name is empty or not a zone.
func ZoneOr(name string, fallback *time.Location) *time.Location {
	if name == "" {
		return fallback
	}
	if loc, err := Zone(name); err == nil {
		return loc
	}
	return fallback
}

// Day is the calendar day containing t in loc, as midnight UTC (how DATE
// columns scan). A nil loc is UTC.
func Day(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DateFormat is how the API writes a calendar day.
const DateFormat = time.DateOnly

// Date writes day as YYYY-MM-DD.
func Date(day time.Time) string { return day.Format(DateFormat) }

// ParseDate reads YYYY-MM-DD as midnight UTC.
func ParseDate(s string) (time.Time, error) { return time.Parse(DateFormat, s) }
