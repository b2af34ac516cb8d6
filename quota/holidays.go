package quota

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
)

// Holiday kinds (the holidays table's CHECK).
var HolidayKinds = []string{"national", "collective_leave", "office"}

// Holiday is a day off: the whole country's (Office empty) or one office's.
type Holiday struct {
	Day    time.Time
	Kind   string
	Name   string
	Office string
}

// checkHoliday validates one holiday; line numbers its errors.
func checkHoliday(h Holiday, line int) []FieldError {
	var fe []FieldError
	fail := func(field, key, msg string) {
		fe = append(fe, FieldError{Line: line, Field: field, Key: key, Msg: msg})
	}
	if h.Day.IsZero() {
		fail("day", "date", "want a date YYYY-MM-DD")
	}
	switch {
	case !slices.Contains(HolidayKinds, h.Kind):
		fail("kind", "holiday_kind", "want national, collective_leave or office")
	case h.Kind == "office" && h.Office == "":
		fail("office", "holiday_office", "an office closure names its office (e.g. JKS)")
	case h.Kind != "office" && h.Office != "":
		fail("office", "holiday_no_office", "a national holiday or collective leave names no office")
	}
	if n := len(strings.TrimSpace(h.Name)); n == 0 || n > 120 {
		fail("name", "holiday_name", "want the holiday's name, at most 120 characters")
	}
	return fe
}

// ReadHolidays parses a holidays file: CSV rows day,kind,name[,office], an
// optional header row starting with "day".
func ReadHolidays(r io.Reader) ([]Holiday, []int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	var hs []Holiday
	var lines []int
	var errs []FieldError
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line := csvLine(cr, err)
		if err != nil {
			errs = append(errs, FieldError{Line: line, Field: "row", Key: "row", Msg: err.Error()})
			continue
		}
		if len(lines) == 0 && len(hs) == 0 && strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(row[0], "\ufeff")), "day") {
			continue
		}
		if len(row) < 3 || len(row) > 4 {
			errs = append(errs, FieldError{Line: line, Field: "row", Key: "holiday_row", Msg: "want day,kind,name[,office]"})
			continue
		}
		h := Holiday{Kind: strings.TrimSpace(row[1]), Name: strings.TrimSpace(row[2])}
		h.Day, _ = time.Parse("2006-01-02", strings.TrimSpace(row[0]))
		if len(row) == 4 {
			h.Office = strings.ToUpper(strings.TrimSpace(row[3]))
		}
		errs = append(errs, checkHoliday(h, line)...)
		hs, lines = append(hs, h), append(lines, line)
	}
	if len(errs) > 0 {
		return nil, nil, &SpecError{errs}
	}
	return hs, lines, nil
}

// ImportHolidays adds (or renames) holidays from a file in one
// transaction, audited; a bad row refuses the file.
func (s *Service) ImportHolidays(ctx context.Context, r io.Reader, actor string) (int, error) {
	hs, lines, err := ReadHolidays(r)
	if err != nil {
		return 0, err
	}
	return len(hs), s.putHolidays(ctx, hs, lines, actor)
}

// AddHoliday adds or renames one holiday (the national admin's page).
func (s *Service) AddHoliday(ctx context.Context, h Holiday, actor string) error {
	if fe := checkHoliday(h, 0); len(fe) > 0 {
		return &SpecError{fe}
	}
	return s.putHolidays(ctx, []Holiday{h}, []int{0}, actor)
}

func (s *Service) putHolidays(ctx context.Context, hs []Holiday, lines []int, actor string) error {
	now := s.Clock.Now()
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var errs []FieldError
		for i, h := range hs {
			var office *string
			if h.Office != "" {
				office = &h.Office
				var ok bool
				if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM offices WHERE code = $1)`, h.Office).Scan(&ok); err != nil {
					return err
				}
				if !ok {
					errs = append(errs, FieldError{Line: lines[i], Field: "office", Key: "no_office", Msg: fmt.Sprintf("no office %q", h.Office)})
					continue
				}
			}
			if _, err := tx.Exec(ctx, `INSERT INTO holidays (day, office, kind, name) VALUES ($1, $2, $3, $4)
				ON CONFLICT (day, coalesce(office, '')) DO UPDATE SET kind = excluded.kind, name = excluded.name`,
				h.Day, office, h.Kind, h.Name); err != nil {
				return err
			}
			if err := audit.Append(ctx, tx, audit.Entry{Office: h.Office, At: now, Actor: actor, Action: "holiday.set",
				Subject: "holiday:" + dayString(h.Day), Data: map[string]string{"kind": h.Kind, "name": h.Name, "office": h.Office}}); err != nil {
				return err
			}
		}
		if len(errs) > 0 {
			return &SpecError{errs}
		}
		return nil
	})
}

// RemoveHoliday deletes one holiday (office "" for a national one); false
// if there was none.
func (s *Service) RemoveHoliday(ctx context.Context, day time.Time, office, actor string) (bool, error) {
	removed := false
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var name string
		err := tx.QueryRow(ctx, `DELETE FROM holidays WHERE day = $1 AND coalesce(office, '') = $2 RETURNING name`, parseDay(day), office).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		removed = true
		return audit.Append(ctx, tx, audit.Entry{Office: office, At: s.Clock.Now(), Actor: actor, Action: "holiday.remove",
			Subject: "holiday:" + dayString(day), Data: map[string]string{"name": name, "office": office}})
	})
	return removed, err
}

// Holidays lists a year's holidays, national ones first within a day.
func (s *Service) Holidays(ctx context.Context, year int) ([]Holiday, error) {
	rows, err := s.Pool.Query(ctx, `SELECT day, kind, name, coalesce(office, '') FROM holidays
		WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1) ORDER BY day, office NULLS FIRST`, year)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Holiday, error) {
		var h Holiday
		return h, row.Scan(&h.Day, &h.Kind, &h.Name, &h.Office)
	})
}

// HasCalendar reports whether a year has national holiday data, without
// which its days are not opened for booking.
func (s *Service) HasCalendar(ctx context.Context, year int) (bool, error) {
	var ok bool
	err := s.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM holidays WHERE office IS NULL
		AND day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1))`, year).Scan(&ok)
	return ok, err
}

// WarnNextYearFrom is when the admins start being told that next year has
// no holidays: from 1 October, three months ahead of the first day that
// would stay closed.
const WarnNextYearFrom = time.October

// MissingCalendar is the year the admins must load holidays for now: the
// current year (WIB) if it has none, or next year from 1 October; 0 when
// nothing is missing.
func (s *Service) MissingCalendar(ctx context.Context) (int, error) {
	now := civil.Day(s.Clock.Now(), mustZone("Asia/Jakarta"))
	years := []int{now.Year()}
	if now.Month() >= WarnNextYearFrom {
		years = append(years, now.Year()+1)
	}
	for _, y := range years {
		ok, err := s.HasCalendar(ctx, y)
		if err != nil || !ok {
			return y, err
		}
	}
	return 0, nil
}

func mustZone(name string) *time.Location {
	loc, err := civil.Zone(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// checkCalendar is the daily job that tells the admins of a missing year:
// an audit entry on the network chain (the alert the national admin's
// pages show as a notice) and a warning in the log.
func (s *Service) checkCalendar(ctx context.Context, _ time.Time) error {
	year, err := s.MissingCalendar(ctx)
	if err != nil || year == 0 {
		return err
	}
	if s.Log != nil {
		s.Log.Warn("quota: no holiday data for a year; its days stay closed for booking until an admin loads it", "year", year)
	}
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		return audit.Append(ctx, tx, audit.Entry{At: s.Clock.Now(), Actor: "system", Action: "holidays.missing",
			Subject: fmt.Sprintf("holidays:%d", year), Data: map[string]int{"year": year}})
	})
}
