// Package feedback keeps the applicant's feedback at the two points the
// SPPT redesign asks for it: after the One Stop Service desk and after
// pickup, a score from 1 to 5 and a comment. It owns the table feedback.
package feedback

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
)

// Points where feedback is asked.
const (
	PointDesk   = "desk"
	PointPickup = "pickup"
)

// Points in order.
var Points = []string{PointDesk, PointPickup}

// Roles may record feedback: the officers at the two points.
var Roles = []string{"desk", "pickup"}

// MaxComment bounds a comment.
const MaxComment = 1000

// Service records feedback.
type Service struct {
	Pool   *pgxpool.Pool
	Clock  clock.Clock
	Apps   *application.Store
	Tokens *auth.Tokens
	Pages  *frontend.Renderer
}

// Entry is one answer.
type Entry struct {
	ApplicationNo string    `json:"application_no"`
	Office        string    `json:"office"`
	Point         string    `json:"point"`
	Score         int       `json:"score"`
	Comment       string    `json:"comment"`
	At            time.Time `json:"at"`
}

// Give stores the applicant's answer for an application of office at
// point: once per point (409 feedback_given a second time).
func (s *Service) Give(ctx context.Context, office, no, point string, score int, comment string) (Entry, error) {
	bad := httpx.Invalid()
	if !slices.Contains(Points, point) {
		bad.Field("point", "feedback.field.point")
	}
	if score < 1 || score > 5 {
		bad.Field("score", "feedback.field.score")
	}
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > MaxComment {
		bad.Field("comment", "feedback.field.comment")
	}
	if bad.HasFields() {
		return Entry{}, bad
	}
	a, err := s.Apps.InOffice(ctx, office, no)
	if err != nil {
		return Entry{}, application.HTTPError(err)
	}
	e := Entry{ApplicationNo: a.No, Office: a.Office, Point: point, Score: score, Comment: comment, At: s.Clock.Now()}
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO feedback (application_no, office, point, score, comment, at)
			VALUES ($1, $2, $3, $4, $5, $6)`, e.ApplicationNo, e.Office, point, score, comment, e.At); err != nil {
			return err
		}
		// The comment is the applicant's words: not copied into the audit chain.
		return audit.Append(ctx, tx, audit.Entry{Office: e.Office, At: e.At, Actor: "citizen:feedback", Action: "feedback.give",
			Subject: "application:" + e.ApplicationNo, Data: map[string]any{"point": point, "score": score}})
	})
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return Entry{}, httpx.New(http.StatusConflict, "feedback_given", "point", point)
	}
	return e, err
}

// Summary is an office's feedback at one point.
type Summary struct {
	Point   string  `json:"point"`
	Count   int     `json:"count"`
	Average float64 `json:"average"`
}

// Summarise is office's feedback per point since from (reports).
func (s *Service) Summarise(ctx context.Context, office string, from time.Time) ([]Summary, error) {
	rows, err := s.Pool.Query(ctx, `SELECT point, count(*), coalesce(avg(score), 0)::float8 FROM feedback
		WHERE office = $1 AND at >= $2 GROUP BY point ORDER BY point`, office, from)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Summary, error) {
		var x Summary
		err := r.Scan(&x.Point, &x.Count, &x.Average)
		return x, err
	})
}
