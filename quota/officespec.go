package quota

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/jobs"
)

// OfficeSpec is an office as `sppt office import`, `sppt office set` and the
// admin page describe it: who it is (changes at once) and its schedule
// (hours, capacities, release rules: a version in force from EffectiveFrom).
type OfficeSpec struct {
	Code, Name, City, Province, Timezone, Address string
	// EffectiveFrom is the first day of the schedule (zero: tomorrow in the
	// office's zone, or today for a new office).
	EffectiveFrom     time.Time
	Open              [7]bool // ISO weekdays, Monday first
	Opens, Closes     [7]time.Duration
	Online, Walkin    [7]int
	Priority          [7]int
	ReleaseCron       string
	WindowDays        int
	DrawWindowMinutes int
	HoldMinutes       int
	Booths            []BoothSpec // nil: the booths stay as they are
	Closures          []Closure   // nil: the closures stay as they are
	closuresGiven     bool
	line              int // of the file it came from (0: none)
}

// BoothSpec is a booth and the services it calls (the queue owns booths).
type BoothSpec struct {
	Number   int
	Name     string
	Services []string
}

// Closure is a day an office alone is closed (a holidays row of kind office).
type Closure struct {
	Day  time.Time
	Name string
}

// Fields are the columns of an offices file, in order; code, name, city,
// province and timezone are required, the others have defaults.
var Fields = []string{"code", "name", "city", "province", "timezone", "address", "effective_from", "hours",
	"online", "walkin", "priority", "release_cron", "booking_window_days", "draw_window_minutes",
	"waitlist_hold_minutes", "booths", "closures"}

var requiredFields = []string{"code", "name", "city", "province", "timezone"}

var fieldDefaults = map[string]string{"hours": "mon-fri 08:00-16:00", "online": "150", "walkin": "40", "priority": "10",
	"release_cron": "0 0 * * *", "booking_window_days": "30", "draw_window_minutes": "10", "waitlist_hold_minutes": "120"}

// FieldError is one refused value: the line of the file (0 for a single
// change), the field, a locale key (offices.err.*) and an English text.
type FieldError struct {
	Line  int
	Field string
	Key   string
	Msg   string
}

func (e FieldError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d, field %s: %s", e.Line, e.Field, e.Msg)
	}
	return fmt.Sprintf("field %s: %s", e.Field, e.Msg)
}

// SpecError refuses a whole file or change: nothing was written.
type SpecError struct{ Errors []FieldError }

func (e *SpecError) Error() string {
	var b strings.Builder
	for i, fe := range e.Errors {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(fe.Error())
	}
	return b.String()
}

var (
	codeRe    = regexp.MustCompile(`^[A-Z]{3}$`)
	dayNames  = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	timeRe    = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)
	zones     = []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}
	zoneAlias = map[string]string{"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
)

// specParser collects the errors of one record.
type specParser struct {
	line int
	errs []FieldError
}

func (p *specParser) fail(field, key, msg string, args ...any) {
	p.errs = append(p.errs, FieldError{Line: p.line, Field: field, Key: key, Msg: fmt.Sprintf(msg, args...)})
}

// ParseSpec reads one record (field → text; missing fields take their
// defaults). line numbers the errors (0 for a single change).
func ParseSpec(rec map[string]string, line int) (OfficeSpec, []FieldError) {
	p := &specParser{line: line}
	get := func(f string) string {
		if v := strings.TrimSpace(rec[f]); v != "" {
			return v
		}
		return fieldDefaults[f]
	}
	for f := range rec {
		if !slices.Contains(Fields, f) {
			p.fail(f, "unknown_field", "unknown field; the fields are %s", strings.Join(Fields, ", "))
		}
	}
	for _, f := range requiredFields {
		if get(f) == "" {
			p.fail(f, "required", "required")
		}
	}
	s := OfficeSpec{line: line}
	s.Code, s.Name, s.City, s.Province, s.Address = get("code"), get("name"), get("city"), get("province"), get("address")
	if s.Code != "" && !codeRe.MatchString(s.Code) {
		p.fail("code", "code", "want three capital letters, e.g. JKS; got %q", s.Code)
	}
	for f, v := range map[string]string{"name": s.Name, "city": s.City, "province": s.Province, "address": s.Address} {
		if len(v) > 200 {
			p.fail(f, "too_long", "at most 200 characters")
		}
	}
	s.Timezone = get("timezone")
	if z, ok := zoneAlias[strings.ToUpper(s.Timezone)]; ok {
		s.Timezone = z
	}
	if s.Timezone != "" && !slices.Contains(zones, s.Timezone) {
		p.fail("timezone", "timezone", "want Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT); got %q", s.Timezone)
	}
	if v := get("effective_from"); v != "" {
		d, err := time.Parse("2006-01-02", v)
		if err != nil {
			p.fail("effective_from", "date", "want a date YYYY-MM-DD; got %q", v)
		}
		s.EffectiveFrom = d
	}
	p.hours(&s, get("hours"))
	s.Online = p.perDay("online", get("online"))
	s.Walkin = p.perDay("walkin", get("walkin"))
	s.Priority = p.perDay("priority", get("priority"))
	for i := range 7 {
		if s.Priority[i] > s.Walkin[i] {
			p.fail("priority", "priority_over_walkin", "%s: priority seats (%d) are part of the walk-in seats (%d) and cannot exceed them",
				dayNames[i], s.Priority[i], s.Walkin[i])
			break
		}
	}
	s.ReleaseCron = get("release_cron")
	if _, err := jobs.ParseSpec(s.ReleaseCron); err != nil {
		p.fail("release_cron", "cron", "want a five-field cron in the office's zone, e.g. \"0 14 * * 5\" (Fridays 14:00); got %q", s.ReleaseCron)
	}
	s.WindowDays = p.number("booking_window_days", get("booking_window_days"), 1, 120)
	s.DrawWindowMinutes = p.number("draw_window_minutes", get("draw_window_minutes"), 0, 240)
	s.HoldMinutes = p.number("waitlist_hold_minutes", get("waitlist_hold_minutes"), 5, 1440)
	if v, ok := rec["booths"]; ok && strings.TrimSpace(v) != "" {
		s.Booths = p.booths(v)
	}
	if v, ok := rec["closures"]; ok {
		s.Closures, s.closuresGiven = p.closures(v), true
	}
	return s, p.errs
}

func (p *specParser) number(field, v string, lo, hi int) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		p.fail(field, "range", "want a whole number from %d to %d; got %q", lo, hi, v)
	}
	return n
}

// days reads "mon", "mon-fri" or "sat-sun" into weekday indexes.
func days(s string) ([]int, bool) {
	a, b, isRange := strings.Cut(strings.ToLower(s), "-")
	i, j := slices.Index(dayNames, a), slices.Index(dayNames, a)
	if isRange {
		j = slices.Index(dayNames, b)
	}
	if i < 0 || j < i {
		return nil, false
	}
	var out []int
	for k := i; k <= j; k++ {
		out = append(out, k)
	}
	return out, true
}

// perDayParts splits "mon-fri 150; sat 60" into (days, value) pairs; a lone
// value means every day.
func perDayParts(v string) ([][]int, []string, bool) {
	var ds [][]int
	var vals []string
	for part := range strings.SplitSeq(v, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		d, val, ok := strings.Cut(part, " ")
		if !ok {
			ds, vals = append(ds, []int{0, 1, 2, 3, 4, 5, 6}), append(vals, part)
			continue
		}
		idx, ok := days(d)
		if !ok {
			return nil, nil, false
		}
		ds, vals = append(ds, idx), append(vals, strings.TrimSpace(val))
	}
	return ds, vals, len(ds) > 0
}

func (p *specParser) perDay(field, v string) [7]int {
	var out [7]int
	ds, vals, ok := perDayParts(v)
	if !ok {
		p.fail(field, "per_day", "want seats, e.g. \"150\" or \"mon-fri 150; sat 60\"; got %q", v)
		return out
	}
	for k, idx := range ds {
		n, err := strconv.Atoi(vals[k])
		if err != nil || n < 0 || n > 100000 {
			p.fail(field, "per_day", "want seats, e.g. \"150\" or \"mon-fri 150; sat 60\"; got %q", v)
			return out
		}
		for _, i := range idx {
			out[i] = n
		}
	}
	return out
}

func (p *specParser) hours(s *OfficeSpec, v string) {
	ds, vals, ok := perDayParts(v)
	bad := func() {
		p.fail("hours", "hours", "want opening hours, e.g. \"mon-fri 08:00-16:00; sat 08:00-12:00\"; got %q", v)
	}
	if !ok {
		bad()
		return
	}
	for k, idx := range ds {
		a, b, ok := strings.Cut(vals[k], "-")
		if !ok || !timeRe.MatchString(a) || !timeRe.MatchString(b) || a >= b {
			bad()
			return
		}
		for _, i := range idx {
			s.Open[i], s.Opens[i], s.Closes[i] = true, clockOf(a+":00"), clockOf(b+":00")
		}
	}
	if !slices.Contains(s.Open[:], true) {
		bad()
	}
}

// booths reads "1-6 ABCDF; 7-8 E": booth numbers and the ticket groups
// (CONTRACT.md's prefixes A–F) each calls.
func (p *specParser) booths(v string) []BoothSpec {
	var out []BoothSpec
	bad := func() []BoothSpec {
		p.fail("booths", "booths", "want booth numbers and their groups, e.g. \"1-6 ABCDF; 7-8 E\"; got %q", v)
		return nil
	}
	seen := map[int]bool{}
	for part := range strings.SplitSeq(v, ";") {
		nums, groups, ok := strings.Cut(strings.TrimSpace(part), " ")
		if !ok {
			return bad()
		}
		a, b, isRange := strings.Cut(nums, "-")
		if !isRange {
			b = a
		}
		lo, err1 := strconv.Atoi(a)
		hi, err2 := strconv.Atoi(b)
		if err1 != nil || err2 != nil || lo < 1 || hi > 999 || hi < lo {
			return bad()
		}
		var services []string
		for _, g := range strings.ToUpper(strings.TrimSpace(groups)) {
			svc := serviceOfPrefix(string(g))
			if svc == "" || slices.Contains(services, svc) {
				return bad()
			}
			services = append(services, svc)
		}
		for n := lo; n <= hi; n++ {
			if seen[n] {
				return bad()
			}
			seen[n] = true
			name := "Loket " + strconv.Itoa(n)
			if slices.Equal(services, []string{civil.ServicePickup}) {
				name += " (pengambilan)"
			}
			out = append(out, BoothSpec{Number: n, Name: name, Services: services})
		}
	}
	return out
}

func serviceOfPrefix(prefix string) string {
	for _, s := range civil.Services {
		if civil.Prefix(s) == prefix {
			return s
		}
	}
	return ""
}

// closures reads "2026-12-28 Renovasi gedung; 2027-01-04 Pindah kantor".
func (p *specParser) closures(v string) []Closure {
	out := []Closure{}
	for part := range strings.SplitSeq(v, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		d, name, _ := strings.Cut(part, " ")
		day, err := time.Parse("2006-01-02", d)
		if err != nil || strings.TrimSpace(name) == "" || len(name) > 120 {
			p.fail("closures", "closures", "want days with a reason, e.g. \"2026-12-28 Renovasi gedung; 2027-01-04 Pindah kantor\"; got %q", v)
			return nil
		}
		out = append(out, Closure{Day: day, Name: strings.TrimSpace(name)})
	}
	return out
}

// Record is the spec as the fields of a file row: what `sppt office set`
// and the admin page start from.
func (s OfficeSpec) Record() map[string]string {
	rec := map[string]string{"code": s.Code, "name": s.Name, "city": s.City, "province": s.Province,
		"timezone": s.Timezone, "address": s.Address, "release_cron": s.ReleaseCron,
		"booking_window_days": strconv.Itoa(s.WindowDays), "draw_window_minutes": strconv.Itoa(s.DrawWindowMinutes),
		"waitlist_hold_minutes": strconv.Itoa(s.HoldMinutes)}
	if !s.EffectiveFrom.IsZero() {
		rec["effective_from"] = dayString(s.EffectiveFrom)
	}
	var hours [7]string
	for i := range 7 {
		if s.Open[i] {
			hours[i] = hhmm(s.Opens[i]) + "-" + hhmm(s.Closes[i])
		}
	}
	rec["hours"] = groupDays(hours)
	for f, arr := range map[string][7]int{"online": s.Online, "walkin": s.Walkin, "priority": s.Priority} {
		var vals [7]string
		for i := range 7 {
			if s.Open[i] || arr[i] != 0 {
				vals[i] = strconv.Itoa(arr[i])
			}
		}
		rec[f] = groupDays(vals)
	}
	if s.closuresGiven || s.Closures != nil {
		var parts []string
		for _, c := range s.Closures {
			parts = append(parts, dayString(c.Day)+" "+c.Name)
		}
		rec["closures"] = strings.Join(parts, "; ")
	}
	return rec
}

func hhmm(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}

// groupDays writes per-day values compactly: "150" when every day is the
// same, else "mon-fri 150; sat 60" (empty values are left out).
func groupDays(vals [7]string) string {
	if slices.Equal(vals[:], slices.Repeat(vals[:1], 7)) && vals[0] != "" && !strings.Contains(vals[0], ":") {
		return vals[0]
	}
	var parts []string
	for i := 0; i < 7; {
		j := i
		for j+1 < 7 && vals[j+1] == vals[i] {
			j++
		}
		if vals[i] != "" {
			d := dayNames[i]
			if j > i {
				d += "-" + dayNames[j]
			}
			parts = append(parts, d+" "+vals[i])
		}
		i = j + 1
	}
	return strings.Join(parts, "; ")
}
