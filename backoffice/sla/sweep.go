package sla

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
)

// SweepSpec runs the sweep every hour at :05, so each office's day turns
// over within the hour whatever its zone (WIB, WITA, WIT).
const SweepSpec = "5 * * * *"

// Flagged is what one sweep changed.
type Flagged struct{ AtRisk, Late int }

// Sweep flags, in every office with open items, those past their due day
// late and those due today or on the next working day at risk. Each flag is
// written once (a late item is not flagged again) with its audit entry, so
// the head reads it among the office's transactions.
func (s *Service) Sweep(ctx context.Context, _ time.Time) error {
	_, err := s.SweepNow(ctx)
	return err
}

// SweepNow is Sweep returning what it flagged.
func (s *Service) SweepNow(ctx context.Context) (Flagged, error) {
	var total Flagged
	rows, err := s.Pool.Query(ctx, `SELECT DISTINCT office FROM sla_items WHERE state IN ('on_time', 'at_risk') ORDER BY office`)
	if err != nil {
		return total, err
	}
	offices, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return total, err
	}
	now := s.Clock.Now()
	for _, office := range offices {
		f, err := s.sweepOffice(ctx, office, now)
		if err != nil {
			return total, fmt.Errorf("sla sweep %s: %w", office, err)
		}
		total.AtRisk += f.AtRisk
		total.Late += f.Late
	}
	return total, nil
}

func (s *Service) sweepOffice(ctx context.Context, office string, now time.Time) (Flagged, error) {
	loc, err := s.Zone(ctx, office)
	if err != nil {
		return Flagged{}, err
	}
	today := civil.Day(now, loc)
	next, err := s.Calendar.AddWorkingDays(ctx, office, now, 1)
	if err != nil {
		return Flagged{}, err
	}
	var f Flagged
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		late, err := flag(ctx, tx, `UPDATE sla_items SET state = 'late', late_at = $3
			WHERE office = $1 AND state IN ('on_time', 'at_risk') AND due_on < $2 RETURNING application_no, due_on`, office, today, now)
		if err != nil {
			return err
		}
		risk, err := flag(ctx, tx, `UPDATE sla_items SET state = 'at_risk', at_risk_at = $3
			WHERE office = $1 AND state = 'on_time' AND due_on <= $2 RETURNING application_no, due_on`, office, next, now)
		if err != nil {
			return err
		}
		f = Flagged{AtRisk: len(risk), Late: len(late)}
		return audit.Append(ctx, tx, slices.Concat(entries(office, now, "sla.late", late), entries(office, now, "sla.at_risk", risk))...)
	})
	return f, err
}

type flagged struct {
	no  string
	due time.Time
}

func flag(ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]flagged, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (flagged, error) {
		var x flagged
		return x, r.Scan(&x.no, &x.due)
	})
}

func entries(office string, now time.Time, action string, xs []flagged) []audit.Entry {
	out := make([]audit.Entry, 0, len(xs))
	for _, x := range xs {
		out = append(out, audit.Entry{Office: office, At: now, Actor: "system", Action: action,
			Subject: "application:" + x.no, Data: map[string]string{"due_on": civil.Date(x.due)}})
	}
	return out
}
