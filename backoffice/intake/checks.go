package intake

import (
	"context"
	"fmt"
	"net/http"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// Finding is what an intake check found: the hold it opens and why. Reason
// goes into the application's history and names what was found, never
// personal data; Key and Params say it to the officer (intake.finding.*).
type Finding struct {
	Hold     string
	Reason   string
	Key      string
	Params   []any
	Evidence Evidence // what the BAP starts from (Cases.Found)
}

// Evidence is what a check found, in the terms the exception case keeps.
type Evidence struct {
	Source           string // "watchlist" or "desk"
	WatchlistEntryID int64
	EntryKind        string
	ByNIK            bool
	Score            float64
	PassportNo       string
}

// Cases records a finding on the case the hold opened, inside the hand-over's
// transaction (backoffice/exception, through the wiring); nil records none.
type Cases interface {
	Found(ctx context.Context, tx pgx.Tx, applicationNo string, e Evidence) error
}

// Check runs the checks that come before anyone pays, for an application
// at the desk with its record, most serious first: a watchlist (cekal) hit
// (seed case #1), a NIK that already holds a valid passport asking for a
// new one, a replacement for a lost passport (seed case #3, a BAP).
func (s *Service) Check(ctx context.Context, a application.Application, rec Record) ([]Finding, error) {
	day, err := s.day(ctx, a.Office, s.Clock.Now())
	if err != nil {
		return nil, err
	}
	var out []Finding
	hits, err := s.Watchlist.Check(ctx, WatchQuery{NIK: a.NIK, FullName: a.FullName, BirthDate: a.BirthDate, On: day})
	if err != nil {
		return nil, fmt.Errorf("intake: watchlist check: %w", err)
	}
	if len(hits) > 0 {
		h := hits[0]
		by := "name and birth date"
		if h.ByNIK {
			by = "NIK"
		}
		out = append(out, Finding{Hold: application.HoldWatchlist,
			Reason: fmt.Sprintf("watchlist hit: %s entry #%d matched by %s (score %.2f)", h.Kind, h.EntryID, by, h.Score),
			Key:    "intake.finding.watchlist", Params: []any{"kind", h.Kind, "entry", h.EntryID, "score", fmt.Sprintf("%.2f", h.Score)},
			Evidence: Evidence{Source: "watchlist", WatchlistEntryID: h.EntryID, EntryKind: h.Kind, ByNIK: h.ByNIK, Score: h.Score}})
	}
	if a.Service == civil.ServiceNew || a.Service == civil.ServicePriority {
		p, ok, err := s.Passports.ValidFor(ctx, a.NIK, day)
		if err != nil {
			return nil, fmt.Errorf("intake: passport register: %w", err)
		}
		if ok {
			exp := civil.Date(p.ExpiresOn)
			out = append(out, Finding{Hold: application.HoldExistingPassport,
				Reason: "existing valid passport until " + exp + ": a new passport is not issued; choose renewal, or replacement if it was lost or damaged",
				Key:    "intake.finding.existing_passport", Params: []any{"expires", exp},
				Evidence: Evidence{Source: "desk", PassportNo: p.No}})
		}
	}
	if a.Service == civil.ServiceReplacement && rec.Reason == ReasonLost {
		out = append(out, Finding{Hold: application.HoldLostPassport,
			Reason: "replacement for a lost passport: police report seen, BAP required before a decision",
			Key:    "intake.finding.lost_passport", Evidence: Evidence{Source: "desk"}})
	}
	return out, nil
}

type checkedKey struct{}

// guardLeave refuses to move an application from the desk to the captures
// while an intake check finds something: the desk's hand-over puts it on
// hold instead. The hand-over, having just checked, marks its context.
func (s *Service) guardLeave(ctx context.Context, _ pgx.Tx, m application.Moved) error {
	if m.Stage != civil.StageBiometric || ctx.Value(checkedKey{}) != nil {
		return nil
	}
	rec, err := s.Get(ctx, m.Office, m.No)
	if err != nil && err != ErrNoRecord {
		return err
	}
	f, err := s.Check(ctx, m.Application, rec)
	if err != nil {
		return err
	}
	if len(f) > 0 {
		return httpx.New(http.StatusConflict, "intake_check_found", "hold", f[0].Hold).With("hold", f[0].Hold)
	}
	return nil
}
