package portal

import (
	"errors"
	"strings"
	"time"
)

// birthLayouts are the ways a birth date arrives: YYYY-MM-DD from a date
// input (and the API), DD-MM-YYYY as Indonesians write it when the browser
// shows a text box (also with / or .).
var birthLayouts = []string{dateLayout, "02-01-2006", "2-1-2006", "02/01/2006", "2/1/2006", "02.01.2006", "2.1.2006"}

// parseBirthDate reads a birth date in any of birthLayouts as a calendar day.
func parseBirthDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("empty date")
	}
	for _, l := range birthLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("unreadable date")
}

// dateInputValue is raw as a date input's value (YYYY-MM-DD) when readable,
// so a re-shown form keeps the day; otherwise raw as typed.
func dateInputValue(raw string) string {
	if t, err := parseBirthDate(raw); err == nil {
		return t.Format(dateLayout)
	}
	return raw
}
