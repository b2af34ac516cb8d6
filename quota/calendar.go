package quota

import (
	"context"
	"time"
)

// dayRow is a quota_days row; exists is false for a day not yet materialised
// (its numbers then come from the office's defaults).
type dayRow struct {
	exists                    bool
	day                       time.Time
	onlineCap, onlineBooked   int
	walkinCap, walkinIssued   int
	priorityCap, priorityUsed int
	releasedAt, drawClosesAt  *time.Time
	closedReason              *string
	manual                    bool
	drawnAt                   *time.Time
}

const dayCols = `day, online_capacity, online_booked, walkin_capacity, walkin_issued, priority_capacity,
	priority_issued, released_at, draw_closes_at, closed_reason, manual, drawn_at`

func scanDay(row interface{ Scan(...any) error }) (dayRow, error) {
	d := dayRow{exists: true}
	err := row.Scan(&d.day, &d.onlineCap, &d.onlineBooked, &d.walkinCap, &d.walkinIssued, &d.priorityCap,
		&d.priorityUsed, &d.releasedAt, &d.drawClosesAt, &d.closedReason, &d.manual, &d.drawnAt)
	return d, err
}

// defaultRow is a day without a row: weekday defaults, nothing taken.
func (r *rules) defaultRow(day time.Time) dayRow {
	r = r.on(day)
	return dayRow{day: day, onlineCap: r.defOnline, walkinCap: r.defWalkin, priorityCap: min(r.defPriority, r.defWalkin)}
}

// loadDays reads the rows of [from, from+n) and the holidays there.
func loadDays(ctx context.Context, q querier, office string, from time.Time, n int) (map[string]dayRow, map[string]string, error) {
	to := from.AddDate(0, 0, n-1)
	rows, err := q.Query(ctx, `SELECT `+dayCols+` FROM quota_days WHERE office = $1 AND day BETWEEN $2 AND $3`, office, from, to)
	if err != nil {
		return nil, nil, err
	}
	days := map[string]dayRow{}
	for rows.Next() {
		d, err := scanDay(rows)
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		days[dayString(d.day)] = d
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	hols, err := loadHolidays(ctx, q, office, from, to)
	return days, hols, err
}

// loadHolidays maps day → name; an office's own closure wins over a national one.
func loadHolidays(ctx context.Context, q querier, office string, from, to time.Time) (map[string]string, error) {
	rows, err := q.Query(ctx, `SELECT day, name FROM holidays WHERE day BETWEEN $2 AND $3 AND (office IS NULL OR office = $1)
		ORDER BY office NULLS FIRST`, office, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	hols := map[string]string{}
	for rows.Next() {
		var d time.Time
		var name string
		if err := rows.Scan(&d, &name); err != nil {
			return nil, err
		}
		hols[dayString(d)] = name
	}
	return hols, rows.Err()
}

// evaluate decides a day's status at now. The order of the checks is the
// order of the reasons a citizen most needs to hear.
func (r *rules) evaluate(d dayRow, holiday string, hasHoliday bool, now time.Time) DayStatus {
	r = r.on(d.day)
	st := DayStatus{Office: r.Code, Date: d.day}
	weekend := r.dayOff // Saturdays and Sundays, or the weekdays the office's hours close
	if !d.exists && (weekend || hasHoliday) {
		d.onlineCap, d.walkinCap, d.priorityCap = 0, 0, 0
	}
	st.Online = Seats{Capacity: d.onlineCap, Used: d.onlineBooked, Remaining: max(0, d.onlineCap-d.onlineBooked)}
	st.Walkin = Seats{Capacity: d.walkinCap, Used: d.walkinIssued, Remaining: max(0, d.walkinCap-d.walkinIssued)}
	st.Priority = Seats{Capacity: d.priorityCap, Used: d.priorityUsed, Remaining: max(0, d.priorityCap-d.priorityUsed)}

	today := r.Day(now)
	released := d.releasedAt != nil && !now.Before(*d.releasedAt)
	rel := r.releaseOf(d.day)
	if d.releasedAt != nil {
		rel = *d.releasedAt
	}
	switch {
	case d.day.Before(today):
		st.Reason = ReasonPast
	case !now.Before(r.closesAt(d.day)) || d.closedReason != nil:
		st.Reason = ReasonClosed
	case weekend && !d.manual:
		st.Reason = ReasonWeekend
	case !r.calendarYears[d.day.Year()] && !d.manual:
		st.Reason = ReasonNoCalendar
	case hasHoliday && !d.manual:
		st.Reason, st.HolidayName = ReasonHoliday, holiday
	case !released && d.day.After(today.AddDate(0, 0, r.windowDays)):
		st.Reason = ReasonBeyond
	case now.Before(rel):
		st.Reason, st.ReleasesAt = ReasonNotReleased, rel
	case d.onlineCap == 0:
		st.Reason = ReasonNoQuota
	default:
		st.Open = true
		closes := r.drawClosesOf(d)
		if !closes.IsZero() && now.Before(closes) {
			st.InDraw, st.DrawClosesAt = true, closes
		}
	}
	return st
}

// drawClosesOf is the end of the day's release draw (zero: none). A row
// carries it; a day not yet materialised has the one its release implies.
func (r *rules) drawClosesOf(d dayRow) time.Time {
	r = r.on(d.day)
	if d.exists {
		if d.drawClosesAt == nil {
			return time.Time{}
		}
		return *d.drawClosesAt
	}
	if r.drawWindow == 0 {
		return time.Time{}
	}
	return r.releaseOf(d.day).Add(r.drawWindow)
}

// Calendar is an office's days from `from` (a calendar day in its zone).
func (s *Service) Calendar(ctx context.Context, office string, from time.Time, days int) ([]DayStatus, error) {
	if days < 1 || days > 62 {
		return nil, ErrBadRange
	}
	r, err := loadRules(ctx, s.Pool, office)
	if err != nil {
		return nil, err
	}
	from = parseDay(from)
	rows, hols, err := loadDays(ctx, s.Pool, office, from, days)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	out := make([]DayStatus, days)
	for i := range out {
		day := from.AddDate(0, 0, i)
		row, ok := rows[dayString(day)]
		if !ok {
			row = r.defaultRow(day)
		}
		name, isHol := hols[dayString(day)]
		out[i] = r.evaluate(row, name, isHol, now)
	}
	return out, nil
}

// Day is one office-day's status.
func (s *Service) Day(ctx context.Context, office string, date time.Time) (DayStatus, error) {
	list, err := s.Calendar(ctx, office, date, 1)
	if err != nil {
		return DayStatus{}, err
	}
	return list[0], nil
}
