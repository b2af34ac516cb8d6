package biometric

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/sealed"
)

// Outcomes of the identification done at capture.
const (
	OutcomeClean     = "clean"     // no other identity matched: on to adjudication
	OutcomeDuplicate = "duplicate" // the face matches another identity: seed case #2, on hold
	OutcomeMismatch  = "mismatch"  // the face does not match the one enrolled for this NIK (renewal's previous passport)
)

// Outcome is what identification found for an accepted capture.
type Outcome struct {
	CaptureID string
	Result    string  // OutcomeClean, OutcomeDuplicate or OutcomeMismatch
	Candidate string  // duplicate: the other identity's subject id (a NIK); mismatch: this applicant's
	Score     float64 // duplicate: the best other identity's score; mismatch or clean renewal: the 1:1 score
}

// Stages moves the application on once a capture is accepted: to
// adjudication when clean, on hold (a BAP to open) otherwise. It runs in the
// capture's transaction, so an illegal transition stores nothing. The stage
// machine in backoffice/application implements it (wired in cmd/sppt/app).
type Stages interface {
	CaptureDone(ctx context.Context, tx pgx.Tx, applicationNo, actor string, o Outcome) error
}

// Captures takes the stations' captures: quality rules, identification
// before enrolment, sealed storage, audited reads and retention.
type Captures struct {
	Pool    *pgxpool.Pool
	Box     *sealed.Box
	Matcher Matcher
	Stages  Stages
	Clock   clock.Clock
	Rules   Rules // DefaultRules when zero
	// Retention is how long a capture is kept (PurgeExpired); DefaultRetention when 0.
	Retention time.Duration
}

// captureLock serialises identification with enrolment (pg_advisory_xact_lock key).
const captureLock = 550_002

var errAbis = httpx.New(http.StatusServiceUnavailable, "abis_unavailable")

func (s *Captures) rules() Rules {
	if s.Rules == (Rules{}) {
		return DefaultRules
	}
	return s.Rules
}

// application is the office's application by number; another office's is
// not found, as CONTRACT.md has it.
func (s *Captures) application(ctx context.Context, office, no string) (application.Applicant, error) {
	a, err := application.ApplicantOf(ctx, s.Pool, no)
	if errors.Is(err, application.ErrNotFound) || err == nil && a.Office != office {
		return a, httpx.ErrNotFound
	}
	return a, err
}

// Capture judges and keeps one capture. Identification runs before the face
// is enrolled, so the applicant's own new face never hides a duplicate; the
// subject is the NIK, so a second application by the same person is the same
// identity and not a duplicate of itself.
func (s *Captures) Capture(ctx context.Context, office, actor string, in civil.Capture) (civil.CaptureResult, error) {
	app, err := s.application(ctx, office, in.ApplicationNo)
	if err != nil {
		return civil.CaptureResult{}, err
	}
	res := civil.CaptureResult{CaptureID: uuid.NewString(), Retake: s.rules().Retake(in)}
	if len(res.Retake) > 0 {
		return res, s.refuse(ctx, app, actor, in, res)
	}
	emb := unitVector(in.Embedding)
	res.Accepted = true
	// Everything the transaction reads or writes goes through it: with the
	// builtin ABIS, a second pool connection taken while this one holds the
	// office's rows could wait forever on a busy pool.
	var enrolled func() error
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		// One identification-and-enrolment at a time across the deployment:
		// two stations capturing one face under two NIKs at once would each
		// find nothing before the other enrolled. Captures come a few a
		// minute per office; a search takes milliseconds.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, captureLock); err != nil {
			return err
		}
		if err := s.sync(ctx, tx); err != nil {
			return errAbis
		}
		o, err := s.identify(ctx, app, emb)
		if err != nil {
			return err
		}
		o.CaptureID = res.CaptureID
		if err := s.store(ctx, tx, app, actor, in, emb, o); err != nil {
			return err
		}
		if err := s.Stages.CaptureDone(ctx, tx, app.No, actor, o); err != nil {
			return err
		}
		if o.Result != OutcomeClean {
			return nil // a face under suspicion joins the register only once cleared
		}
		if enrolled, err = s.enrol(ctx, tx, Enrolment{SubjectID: app.NIK, Office: app.Office, Embedding: emb}); err != nil {
			return errAbis
		}
		_, err = tx.Exec(ctx, `UPDATE captures SET enrolled = true WHERE id = $1`, o.CaptureID)
		return err
	})
	if err == nil && enrolled != nil {
		err = enrolled()
	}
	return res, err
}

// enrol adds e to the register as part of tx. The builtin ABIS writes its
// template in tx, and the returned func puts it in the in-memory index once
// tx has committed (other instances find it by catching up). An external
// ABIS is enrolled before the commit: if the commit then fails, the template
// is there without its capture and the retake replaces it; the other order
// could lose an identity from the register.
func (s *Captures) enrol(ctx context.Context, tx pgx.Tx, e Enrolment) (func() error, error) {
	b, ok := s.Matcher.ABIS.(*Builtin)
	if !ok {
		return nil, s.Matcher.ABIS.Enrol(ctx, e)
	}
	id, err := b.enrolTx(ctx, tx, e)
	if err != nil {
		return nil, err
	}
	return func() error { return b.ix.Put(e.SubjectID, id, e.Embedding) }, nil
}

// sync brings an in-process index up to every committed enrolment, also
// other instances' (an external ABIS is always up to date for itself).
func (s *Captures) sync(ctx context.Context, tx pgx.Tx) error {
	if b, ok := s.Matcher.ABIS.(*Builtin); ok {
		_, err := b.catchUpOn(ctx, tx)
		return err
	}
	return nil
}

// identify is the 1:N search against every other identity, then the 1:1
// check against the face already enrolled for this NIK (a renewal's previous
// passport) when there is one.
func (s *Captures) identify(ctx context.Context, app application.Applicant, emb []float32) (Outcome, error) {
	dups, err := s.Matcher.Duplicates(ctx, app.NIK, emb)
	if err != nil {
		return Outcome{}, errAbis
	}
	if len(dups) > 0 {
		return Outcome{Result: OutcomeDuplicate, Candidate: dups[0].SubjectID, Score: dups[0].Score}, nil
	}
	match, score, err := s.Matcher.Verify(ctx, app.NIK, emb)
	switch {
	case errors.Is(err, ErrUnknownSubject):
		return Outcome{Result: OutcomeClean}, nil
	case err != nil:
		return Outcome{}, errAbis
	case !match:
		return Outcome{Result: OutcomeMismatch, Candidate: app.NIK, Score: score}, nil
	}
	return Outcome{Result: OutcomeClean, Score: score}, nil
}

// refuse records a capture refused for quality: what to retake, no biometrics.
func (s *Captures) refuse(ctx context.Context, app application.Applicant, actor string, in civil.Capture, res civil.CaptureResult) error {
	now := s.Clock.Now()
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO captures (id, application_no, office, device, accepted, retake, fingers, created_at)
			VALUES ($1, $2, $3, $4, false, $5, $6, $7)`, res.CaptureID, app.No, app.Office, actor, res.Retake, fingerMeta(in.Fingers), now)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: app.Office, At: now, Actor: actor, Action: "capture.refuse",
			Subject: "application:" + app.No, Data: map[string]any{"capture_id": res.CaptureID, "retake": res.Retake}})
	})
}

// store writes an accepted capture, every biometric part sealed.
func (s *Captures) store(ctx context.Context, tx pgx.Tx, app application.Applicant, actor string, in civil.Capture, emb []float32, o Outcome) error {
	now := s.Clock.Now()
	fps, err := json.Marshal(in.Fingers)
	if err != nil {
		return err
	}
	var candidate *string
	if o.Candidate != "" {
		candidate = &o.Candidate
	}
	id := o.CaptureID
	_, err = tx.Exec(ctx, `INSERT INTO captures (id, application_no, office, device, accepted, fingers, outcome, candidate, score,
		face_image, face_embedding, fingerprints, signature, created_at)
		VALUES ($1, $2, $3, $4, true, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		id, app.No, app.Office, actor, fingerMeta(in.Fingers), o.Result, candidate, o.Score,
		s.Box.Seal(in.FaceImage, partAAD(id, "face_image")), s.Box.Seal(encode(emb), partAAD(id, "face_embedding")),
		s.Box.Seal(fps, partAAD(id, "fingerprints")), s.Box.Seal(in.Signature, partAAD(id, "signature")), now)
	if err != nil {
		return err
	}
	// The candidate is another person's NIK: on the row, not in the log.
	return audit.Append(ctx, tx, audit.Entry{Office: app.Office, At: now, Actor: actor, Action: "capture.accept",
		Subject: "application:" + app.No, Data: map[string]any{"capture_id": id, "outcome": o.Result, "score": o.Score}})
}

// fingerMeta is what the row keeps in clear of the fingers: which were
// captured, their quality, why one is missing. No template.
func fingerMeta(fs []civil.Finger) []byte {
	type meta struct {
		Finger  int    `json:"finger"`
		Quality *int   `json:"quality,omitempty"`
		Missing string `json:"missing,omitempty"`
	}
	out := make([]meta, len(fs))
	for i, f := range fs {
		out[i] = meta{Finger: f.Finger, Missing: f.Missing}
		if f.Missing == "" {
			out[i].Quality = &fs[i].Quality
		}
	}
	b, _ := json.Marshal(out)
	return b
}

// partAAD binds a sealed part to its row and column, so a value copied
// elsewhere does not open.
func partAAD(id, part string) []byte { return []byte("captures:" + id + ":" + part) }
