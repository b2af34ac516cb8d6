package exception

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/civil"
)

// Signature is who signed a part of the case, as what, and when.
type Signature struct {
	By   string    `json:"by"`   // officer:ID
	Name string    `json:"name"` // the officer's user name
	Role string    `json:"role"`
	At   time.Time `json:"at"`
}

// Recommendation is the office head's word on a watchlist case.
type Recommendation struct {
	Outcome string    `json:"outcome"` // proceed or reject
	Text    string    `json:"text"`
	Signed  Signature `json:"signed"`
}

// Decision ended the hold.
type Decision struct {
	Outcome civil.Stage `json:"outcome"` // adjudication, billing, rejected, or cancelled (the hold ended otherwise)
	Reason  string      `json:"reason"`
	Signed  Signature   `json:"signed"`
}

// Case is one hold with its BAP, recommendation and decision.
type Case struct {
	ID             int64           `json:"id"`
	ApplicationNo  string          `json:"application_no"`
	Office         string          `json:"office"`
	Kind           string          `json:"kind"`
	DeciderRole    string          `json:"decider_role"`
	OpenedAt       time.Time       `json:"opened_at"`
	OpenedBy       string          `json:"opened_by"`
	OpenedReason   string          `json:"opened_reason"`
	Finding        Finding         `json:"finding"`
	BAP            *BAP            `json:"bap"`
	BAPSigned      *Signature      `json:"bap_signed"`
	Recommendation *Recommendation `json:"recommendation"`
	Decision       *Decision       `json:"decision"`
	Status         string          `json:"status"` // see status()
	appID          int64
}

// Statuses: what the case waits for.
const (
	StatusBAP       = "awaiting_bap"
	StatusRecommend = "awaiting_recommendation"
	StatusDecision  = "awaiting_decision"
	StatusDecided   = "decided"
)

// NeedsRecommendation: the seed's flow for a watchlist hit.
func (c Case) NeedsRecommendation() bool { return c.Kind == application.HoldWatchlist }

func (c Case) status() string {
	switch {
	case c.Decision != nil:
		return StatusDecided
	case c.BAP == nil:
		return StatusBAP
	case c.NeedsRecommendation() && c.Recommendation == nil:
		return StatusRecommend
	}
	return StatusDecision
}

// Scope is whose cases an officer sees: one office, or a region's offices.
type Scope = application.Scope

const caseColumns = `c.id, c.application_id, a.application_no, c.office, c.kind, c.decider_role, c.opened_at, c.opened_by,
	c.opened_reason, c.finding, c.statement, c.findings, c.fields, c.examiner_name, c.bap_by, c.bap_signer, c.bap_role, c.bap_at,
	c.rec_outcome, c.rec_text, c.rec_by, c.rec_signer, c.rec_at,
	c.outcome, c.outcome_reason, c.decided_by, c.decided_signer, c.decided_role, c.decided_at
	FROM exception_cases c JOIN applications a ON a.id = c.application_id JOIN offices o ON o.code = c.office`

const scopeWhere = `($1 = '' OR c.office = $1) AND ($2 = '' OR o.region = $2)`

type nullSig struct {
	by, name, role *string
	at             *time.Time
}

func (n nullSig) sig() *Signature {
	if n.at == nil {
		return nil
	}
	s := Signature{At: *n.at}
	for dst, src := range map[*string]*string{&s.By: n.by, &s.Name: n.name, &s.Role: n.role} {
		if src != nil {
			*dst = *src
		}
	}
	return &s
}

func scanCase(row pgx.Row) (Case, error) {
	var c Case
	var finding, fields []byte
	var statement, findings, examiner, recOutcome, recText, outcome, outReason *string
	var bap, rec, dec nullSig
	err := row.Scan(&c.ID, &c.appID, &c.ApplicationNo, &c.Office, &c.Kind, &c.DeciderRole, &c.OpenedAt, &c.OpenedBy,
		&c.OpenedReason, &finding, &statement, &findings, &fields, &examiner, &bap.by, &bap.name, &bap.role, &bap.at,
		&recOutcome, &recText, &rec.by, &rec.name, &rec.at,
		&outcome, &outReason, &dec.by, &dec.name, &dec.role, &dec.at)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(finding, &c.Finding); err != nil {
		return c, err
	}
	if c.BAPSigned = bap.sig(); c.BAPSigned != nil {
		b := BAP{Statement: deref(statement), Findings: deref(findings), ExaminerName: deref(examiner)}
		if err := json.Unmarshal(fields, &b.Fields); err != nil {
			return c, err
		}
		c.BAP = &b
	}
	if s := rec.sig(); s != nil {
		s.Role = "validator"
		c.Recommendation = &Recommendation{Outcome: deref(recOutcome), Text: deref(recText), Signed: *s}
	}
	if s := dec.sig(); s != nil {
		c.Decision = &Decision{Outcome: civil.Stage(deref(outcome)), Reason: deref(outReason), Signed: *s}
	}
	c.Status = c.status()
	return c, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Get is the application's latest case within scope; ErrNotFound when the
// application has none or is outside the scope (another office's number is
// as if it did not exist).
func (s *Service) Get(ctx context.Context, sc Scope, no string) (Case, error) {
	c, err := scanCase(s.Pool.QueryRow(ctx, `SELECT `+caseColumns+` WHERE `+scopeWhere+` AND a.application_no = $3
		ORDER BY c.id DESC LIMIT 1`, sc.Office, sc.Region, no))
	if errors.Is(err, pgx.ErrNoRows) {
		return c, application.ErrNotFound
	}
	return c, err
}

// History is every case of the application within scope, oldest first.
func (s *Service) History(ctx context.Context, sc Scope, no string) ([]Case, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+caseColumns+` WHERE `+scopeWhere+` AND a.application_no = $3 ORDER BY c.id`,
		sc.Office, sc.Region, no)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Case, error) { return scanCase(r) })
}

// InboxLimit bounds one inbox answer.
const InboxLimit = 200

// Open is the scope's open cases, oldest first; kind "" is every kind.
func (s *Service) Open(ctx context.Context, sc Scope, kind string) ([]Case, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+caseColumns+` WHERE `+scopeWhere+` AND c.decided_at IS NULL
		AND ($3 = '' OR c.kind = $3) ORDER BY c.opened_at, c.id LIMIT $4`, sc.Office, sc.Region, kind, InboxLimit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Case, error) { return scanCase(r) })
}
