package quota

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
)

// BoothWriter sets an office's booths inside the caller's transaction. The
// booths are the queue's table; the wiring connects its implementation.
type BoothWriter interface {
	SetBoothsTx(ctx context.Context, tx pgx.Tx, office string, booths []BoothSpec, actor string) error
}

// ReadOffices parses an offices file: CSV with a header row naming the
// columns (Fields, any order). Every bad value is reported with its line.
func ReadOffices(r io.Reader) ([]OfficeSpec, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0
	cr.Comment = '#'
	header, err := cr.Read()
	if err != nil {
		return nil, &SpecError{[]FieldError{{Line: 1, Field: "header", Key: "header", Msg: "want a header row naming the columns: " + strings.Join(Fields, ",")}}}
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff")))
	}
	var specs []OfficeSpec
	var errs []FieldError
	seen := map[string]int{}
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
		rec := map[string]string{}
		for i, v := range row {
			rec[header[i]] = v
		}
		s, fe := ParseSpec(rec, line)
		if prev, dup := seen[s.Code]; dup && s.Code != "" {
			fe = append(fe, FieldError{Line: line, Field: "code", Key: "duplicate", Msg: fmt.Sprintf("office %s is already on line %d", s.Code, prev)})
		}
		seen[s.Code] = line
		errs = append(errs, fe...)
		specs = append(specs, s)
	}
	if len(errs) > 0 {
		return nil, &SpecError{errs}
	}
	return specs, nil
}

// csvLine is the line the record just read (or refused) starts on. A
// refused record has no fields to ask csv.Reader.FieldPos about (it panics:
// FuzzReadHolidays found it), so its line comes from the ParseError.
func csvLine(cr *csv.Reader, err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.StartLine
	}
	line, _ := cr.FieldPos(0)
	return line
}

// ImportResult counts what an import did.
type ImportResult struct {
	Added, Updated int
}

// ApplyOffices adds or updates offices in one transaction, each change
// audited; on any refused value nothing is written. lines numbers the
// action is the audit action ("office.import",
// "office.set").
func (s *Service) ApplyOffices(ctx context.Context, specs []OfficeSpec, actor, action string) (ImportResult, error) {
	var res ImportResult
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var errs []FieldError
		now := s.Clock.Now()
		for _, sp := range specs {
			added, fe, err := s.applyOffice(ctx, tx, sp, sp.line, actor, action, now)
			if err != nil {
				return err
			}
			errs = append(errs, fe...)
			if added {
				res.Added++
			} else if len(fe) == 0 {
				res.Updated++
			}
		}
		if len(errs) > 0 {
			return &SpecError{errs}
		}
		return nil
	})
	return res, err
}

// applyOffice writes one office: its identity now, its schedule as a
// version from its effective day, its closures and booths.
func (s *Service) applyOffice(ctx context.Context, tx pgx.Tx, sp OfficeSpec, line int, actor, action string, now time.Time) (bool, []FieldError, error) {
	fail := func(field, key, msg string) (bool, []FieldError, error) {
		return false, []FieldError{{Line: line, Field: field, Key: key, Msg: msg}}, nil
	}
	var zone string
	err := tx.QueryRow(ctx, `SELECT timezone FROM offices WHERE code = $1 FOR UPDATE`, sp.Code).Scan(&zone)
	isNew := errors.Is(err, pgx.ErrNoRows)
	if err != nil && !isNew {
		return false, nil, err
	}
	if !isNew && zone != sp.Timezone {
		return fail("timezone", "timezone_change", fmt.Sprintf("office %s is in %s; its time zone cannot change, since its released days and bookings are in it", sp.Code, zone))
	}
	o := Office{Code: sp.Code, Timezone: sp.Timezone}
	today := o.Day(now)
	from := sp.EffectiveFrom
	switch {
	case from.IsZero() && isNew:
		from = today
	case from.IsZero():
		from = today.AddDate(0, 0, 1)
	case !from.After(today) && !(isNew && from.Equal(today)):
		return fail("effective_from", "effective_from_past", fmt.Sprintf("a change takes effect from a future day: after %s (today in the office's zone)", dayString(today)))
	}
	if fe, err := s.checkClosures(ctx, tx, sp, line, today); err != nil || len(fe) > 0 {
		return false, fe, err
	}
	if err := upsertOffice(ctx, tx, sp, isNew); err != nil {
		return false, nil, err
	}
	if err := upsertVersion(ctx, tx, sp, from, actor, now); err != nil {
		return false, nil, err
	}
	if err := writeClosures(ctx, tx, sp, today); err != nil {
		return false, nil, err
	}
	if sp.Booths != nil {
		if s.Booths == nil {
			return fail("booths", "booths_unwired", "booths cannot be set here")
		}
		if err := s.Booths.SetBoothsTx(ctx, tx, sp.Code, sp.Booths, actor); err != nil {
			return false, nil, err
		}
	}
	rec := sp.Record()
	rec["effective_from"] = dayString(from)
	return isNew, nil, audit.Append(ctx, tx, audit.Entry{Office: sp.Code, At: now, Actor: actor, Action: action,
		Subject: "office:" + sp.Code, Data: rec})
}

// checkClosures refuses a new closure on a day that already has bookings:
// closing it would silently break them (an admin closes such a day through
// the quota, where the bookings are handled).
func (s *Service) checkClosures(ctx context.Context, tx pgx.Tx, sp OfficeSpec, line int, today time.Time) ([]FieldError, error) {
	var fe []FieldError
	for _, c := range sp.Closures {
		if !c.Day.After(today) {
			fe = append(fe, FieldError{Line: line, Field: "closures", Key: "closure_past", Msg: fmt.Sprintf("%s: a closure is for a future day", dayString(c.Day))})
			continue
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM bookings WHERE office = $1 AND day = $2
			AND status IN ('entered', 'booked', 'checked_in', 'waitlisted')`, sp.Code, c.Day).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			fe = append(fe, FieldError{Line: line, Field: "closures", Key: "closure_booked",
				Msg: fmt.Sprintf("%s already has %d bookings; close that day from the quota instead", dayString(c.Day), n)})
		}
	}
	return fe, nil
}

// upsertOffice writes the identity; a new office also gets its base rules
// from the spec (Monday's, or the first open day's, hours and seats).
func upsertOffice(ctx context.Context, tx pgx.Tx, sp OfficeSpec, isNew bool) error {
	if !isNew {
		_, err := tx.Exec(ctx, `UPDATE offices SET name = $2, city = $3, region = $4, address = $5 WHERE code = $1`,
			sp.Code, sp.Name, sp.City, sp.Province, sp.Address)
		return err
	}
	d := 0
	for !sp.Open[d] {
		d++
	}
	_, err := tx.Exec(ctx, `INSERT INTO offices (code, name, city, region, timezone, address, opens_at, closes_at,
		booking_window_days, release_cron, draw_window_minutes, waitlist_hold_minutes, default_online, default_walkin, default_priority)
		VALUES ($1, $2, $3, $4, $5, $6, $7::text::time, $8::text::time, $9, $10, $11, $12, $13, $14, $15)`,
		sp.Code, sp.Name, sp.City, sp.Province, sp.Timezone, sp.Address, hhmm(sp.Opens[d]), hhmm(sp.Closes[d]),
		sp.WindowDays, sp.ReleaseCron, sp.DrawWindowMinutes, sp.HoldMinutes, sp.Online[d], sp.Walkin[d], sp.Priority[d])
	return err
}

func upsertVersion(ctx context.Context, tx pgx.Tx, sp OfficeSpec, from time.Time, actor string, now time.Time) error {
	opens, closes := make([]*string, 7), make([]*string, 7)
	for i := range 7 {
		if sp.Open[i] {
			a, b := hhmm(sp.Opens[i]), hhmm(sp.Closes[i])
			opens[i], closes[i] = &a, &b
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO office_schedules (office, effective_from, opens_at, closes_at, online, walkin, priority,
		booking_window_days, release_cron, draw_window_minutes, waitlist_hold_minutes, created_at, created_by)
		VALUES ($1, $2, $3::text[]::time[], $4::text[]::time[], $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (office, effective_from) DO UPDATE SET opens_at = excluded.opens_at, closes_at = excluded.closes_at,
		online = excluded.online, walkin = excluded.walkin, priority = excluded.priority,
		booking_window_days = excluded.booking_window_days, release_cron = excluded.release_cron,
		draw_window_minutes = excluded.draw_window_minutes, waitlist_hold_minutes = excluded.waitlist_hold_minutes,
		created_at = excluded.created_at, created_by = excluded.created_by`,
		sp.Code, from, opens, closes, sp.Online[:], sp.Walkin[:], sp.Priority[:], sp.WindowDays, sp.ReleaseCron,
		sp.DrawWindowMinutes, sp.HoldMinutes, now, actor)
	return err
}

// writeClosures replaces the office's future closures by the spec's, when
// it lists them; past closures are history and stay.
func writeClosures(ctx context.Context, tx pgx.Tx, sp OfficeSpec, today time.Time) error {
	if !sp.closuresGiven {
		return nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM holidays WHERE office = $1 AND kind = 'office' AND day > $2`, sp.Code, today); err != nil {
		return err
	}
	for _, c := range sp.Closures {
		if _, err := tx.Exec(ctx, `INSERT INTO holidays (day, office, kind, name) VALUES ($1, $2, 'office', $3)
			ON CONFLICT (day, coalesce(office, '')) DO UPDATE SET name = excluded.name, kind = 'office'`, c.Day, sp.Code, c.Name); err != nil {
			return err
		}
	}
	return nil
}

// ImportOffices reads an offices file and applies it (`sppt office import`).
func (s *Service) ImportOffices(ctx context.Context, r io.Reader, actor string) (ImportResult, error) {
	specs, err := ReadOffices(r)
	if err != nil {
		return ImportResult{}, err
	}
	return s.ApplyOffices(ctx, specs, actor, "office.import")
}
