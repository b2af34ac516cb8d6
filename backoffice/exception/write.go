package exception

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
)

// Officer is who acts on a case: the mover the stage machine checks, and
// the user name the signature carries.
type Officer struct {
	application.Actor
	Name string
}

func (o Officer) scope() Scope { return Scope{Office: o.Office, Region: o.Region} }

func (o Officer) sign(role string, at time.Time) Signature {
	return Signature{By: o.Actor.String(), Name: o.Name, Role: role, At: at}
}

// Errors a case refuses with (api.go says what each means over HTTP).
var (
	ErrRole               = errors.New("exception: this role may not act on this case")
	ErrDecided            = errors.New("exception: the case is decided")
	ErrBAPMissing         = errors.New("exception: the case has no BAP yet")
	ErrBAPLocked          = errors.New("exception: the BAP was recommended on and can no longer change")
	ErrRecommendMissing   = errors.New("exception: the watchlist case has no recommendation yet")
	ErrRecommendNotNeeded = errors.New("exception: only a watchlist case takes a recommendation")
)

// InputError is field → problem.
type InputError struct{ Fields map[string]string }

func (e *InputError) Error() string { return "exception: invalid input" }

// lock is the application's open case within the officer's scope, locked.
func lock(ctx context.Context, tx pgx.Tx, o Officer, no string) (Case, error) {
	sc := o.scope()
	c, err := scanCase(tx.QueryRow(ctx, `SELECT `+caseColumns+` WHERE `+scopeWhere+` AND a.application_no = $3
		ORDER BY c.id DESC LIMIT 1 FOR UPDATE OF c`, sc.Office, sc.Region, no))
	if errors.Is(err, pgx.ErrNoRows) {
		return c, application.ErrNotFound
	}
	if err == nil && c.Decision != nil {
		return c, ErrDecided
	}
	return c, err
}

func (s *Service) today(ctx context.Context, office string) (time.Time, error) {
	loc, err := s.Zone(ctx, office)
	if err != nil {
		return time.Time{}, err
	}
	y, m, d := s.Clock.Now().In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

// WriteBAP records (or, before any recommendation, corrects) the case's BAP,
// signed by the examining supervisor, with its audit entry.
func (s *Service) WriteBAP(ctx context.Context, o Officer, no string, b BAP) (Case, error) {
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		c, err := lock(ctx, tx, o, no)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(o.Roles, func(r string) bool { return slices.Contains(WriterRoles, r) }) {
			return ErrRole
		}
		if c.Recommendation != nil {
			return ErrBAPLocked
		}
		today, err := s.today(ctx, c.Office)
		if err != nil {
			return err
		}
		if bad := b.validate(c.Kind, today); len(bad) > 0 {
			return &InputError{Fields: bad}
		}
		fields, err := json.Marshal(b.Fields)
		if err != nil {
			return err
		}
		sig := o.sign("supervisor", s.Clock.Now())
		if _, err := tx.Exec(ctx, `UPDATE exception_cases SET statement = $2, findings = $3, fields = $4, examiner_name = $5,
			bap_by = $6, bap_signer = $7, bap_role = $8, bap_at = $9 WHERE id = $1`,
			c.ID, b.Statement, b.Findings, fields, b.ExaminerName, sig.By, sig.Name, sig.Role, sig.At); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: c.Office, At: sig.At, Actor: sig.By, Action: "exception.bap",
			Subject: "application:" + no, Data: map[string]any{"case": c.ID, "kind": c.Kind, "corrected": c.BAP != nil}})
	})
	if err != nil {
		return Case{}, err
	}
	return s.Get(ctx, o.scope(), no)
}

// Recommendation outcomes the office head may give.
var RecommendOutcomes = []string{"proceed", "reject"}

// Recommend records the office head's recommendation on a watchlist case
// whose BAP is written.
func (s *Service) Recommend(ctx context.Context, o Officer, no, outcome, text string) (Case, error) {
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		c, err := lock(ctx, tx, o, no)
		switch {
		case err != nil:
			return err
		case !slices.ContainsFunc(o.Roles, func(r string) bool { return slices.Contains(RecommendRoles, r) }):
			return ErrRole
		case !c.NeedsRecommendation():
			return ErrRecommendNotNeeded
		case c.BAP == nil:
			return ErrBAPMissing
		}
		text = strings.TrimSpace(text)
		bad := map[string]string{}
		if !slices.Contains(RecommendOutcomes, outcome) {
			bad["outcome"] = "choice"
		}
		if text == "" {
			bad["text"] = "required"
		} else if utf8.RuneCountInString(text) > 2000 {
			bad["text"] = "too_long"
		}
		if len(bad) > 0 {
			return &InputError{Fields: bad}
		}
		sig := o.sign("validator", s.Clock.Now())
		if _, err := tx.Exec(ctx, `UPDATE exception_cases SET rec_outcome = $2, rec_text = $3, rec_by = $4, rec_signer = $5, rec_at = $6
			WHERE id = $1`, c.ID, outcome, text, sig.By, sig.Name, sig.At); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: c.Office, At: sig.At, Actor: sig.By, Action: "exception.recommend",
			Subject: "application:" + no, Data: map[string]any{"case": c.ID, "outcome": outcome}})
	})
	if err != nil {
		return Case{}, err
	}
	return s.Get(ctx, o.scope(), no)
}

// Decide ends the hold: the case's decider, on a complete BAP (and, for a
// watchlist hit, the recommendation), moves the application to outcome
// through the stage machine. Case, move and audit entries are one
// transaction. A lost passport withheld for negligence can only be rejected.
func (s *Service) Decide(ctx context.Context, o Officer, no string, outcome civil.Stage, reason string) (Case, error) {
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		c, err := lock(ctx, tx, o, no)
		switch {
		case err != nil:
			return err
		case !slices.Contains(o.Roles, c.DeciderRole):
			return ErrRole
		case c.BAP == nil:
			return ErrBAPMissing
		case c.NeedsRecommendation() && c.Recommendation == nil:
			return ErrRecommendMissing
		}
		reason = strings.TrimSpace(reason)
		bad := map[string]string{}
		if !slices.Contains(Outcomes, outcome) {
			bad["outcome"] = "choice"
		} else if Withheld(c.Kind, c.BAP.Fields) > 0 && outcome != civil.StageRejected {
			bad["outcome"] = "withheld"
		}
		if reason == "" {
			bad["reason"] = "required"
		} else if utf8.RuneCountInString(reason) > application.MaxReason {
			bad["reason"] = "too_long"
		}
		if len(bad) > 0 {
			return &InputError{Fields: bad}
		}
		sig := o.sign(c.DeciderRole, s.Clock.Now())
		if _, err := tx.Exec(ctx, `UPDATE exception_cases SET outcome = $2, outcome_reason = $3, decided_by = $4, decided_signer = $5,
			decided_role = $6, decided_at = $7 WHERE id = $1`, c.ID, outcome, reason, sig.By, sig.Name, sig.Role, sig.At); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, audit.Entry{Office: c.Office, At: sig.At, Actor: sig.By, Action: "exception.decide",
			Subject: "application:" + no, Data: map[string]any{"case": c.ID, "kind": c.Kind, "outcome": outcome}}); err != nil {
			return err
		}
		_, err = s.Stages.MoveTx(ctx, tx, application.Request{No: no, To: outcome, Actor: o.Actor, Reason: reason})
		return err
	})
	if err != nil {
		return Case{}, err
	}
	return s.Get(ctx, o.scope(), no)
}
