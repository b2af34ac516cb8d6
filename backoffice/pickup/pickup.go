// Package pickup is the last step of the One Stop Service pipeline, at the
// E counters: the collector's live face is checked 1:1 against the enrolled
// one by the counter's camera (a biometric device calling
// POST /api/v1/devices/verifications; the wiring hands each answer here),
// and only a matching check lets the pickup officer hand the passport over.
// The handover is one transaction: the handover row, the move
// ready → picked_up, the new passport made valid and the previous one
// cancelled (renewal, damaged replacement) or marked lost (seed case #3).
// It owns pickup_checks and pickup_handovers; the passport register is
// printing's (Passports), what the application replaces is intake's (Priors).
package pickup

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// Roles hand passports over.
var Roles = []string{"pickup"}

// Passport statuses pickup sets in the register (printing's words).
const (
	PassportValid     = "valid"
	PassportCancelled = "cancelled"
	PassportLost      = "lost"
)

// Passports is the passport register (backoffice/printing) as pickup
// changes it, inside the handover's transaction.
type Passports interface {
	SetStatus(ctx context.Context, tx pgx.Tx, passportNo, status, reason string, now time.Time) error
}

// Prior is the passport an application replaces: its number, and whether
// the applicant reported it lost (then it is marked lost, not cancelled).
type Prior struct {
	PassportNo string
	Lost       bool
}

// Priors tells what passport application a replaces (intake records it);
// the zero Prior when none (a first passport).
type Priors interface {
	Prior(ctx context.Context, a application.Application) (Prior, error)
}

// CheckValidity is how long a face check stands for the handover: the
// collector is still at the counter.
const CheckValidity = 10 * time.Minute

// Service is the pickup step.
type Service struct {
	Pool      *pgxpool.Pool
	Clock     clock.Clock
	Stages    *application.Stages
	Apps      *application.Store
	Passports Passports
	Priors    Priors
	Pages     *frontend.Renderer
	Tokens    *auth.Tokens
	// Zone is an office's time zone, so times read as the office's clock.
	Zone func(ctx context.Context, office string) (*time.Location, error)
	// Threshold is FACE_MATCH_THRESHOLD, shown beside a refused score.
	Threshold float64
}

// Check is one face check of the collector.
type Check struct {
	ID    int64     `json:"id"`
	Match bool      `json:"match"`
	Score float64   `json:"score"`
	At    time.Time `json:"at"`
}

// RecordCheck keeps a counter camera's answer for an application ready for
// pickup in office; checks of applications in another stage (a station
// re-checking an applicant earlier on) are not pickup's and are skipped.
func (s *Service) RecordCheck(ctx context.Context, office, applicationNo, actor string, v civil.Verification) error {
	a, err := s.Apps.InOffice(ctx, office, applicationNo)
	if errors.Is(err, application.ErrNotFound) || err == nil && a.Stage != civil.StageReady {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = s.Pool.Exec(ctx, `INSERT INTO pickup_checks (application_no, office, match, score, actor, at)
		VALUES ($1, $2, $3, $4, $5, $6)`, a.No, a.Office, v.Match, v.Score, actor, s.Clock.Now())
	return err
}

// Querier is a pool or a transaction.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// LastCheck is the newest face check of the application still standing
// (within CheckValidity), false when none.
func (s *Service) LastCheck(ctx context.Context, q Querier, office, no string) (Check, bool, error) {
	var c Check
	err := q.QueryRow(ctx, `SELECT id, match, score, at FROM pickup_checks
		WHERE application_no = $1 AND office = $2 AND at > $3 ORDER BY at DESC, id DESC LIMIT 1`,
		no, office, s.Clock.Now().Add(-CheckValidity)).Scan(&c.ID, &c.Match, &c.Score, &c.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, false, nil
	}
	return c, err == nil, err
}
