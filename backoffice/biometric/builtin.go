package biometric

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/faceindex"
	"github.com/sppt/sppt/internal/sealed"
)

// PollInterval is how often a Builtin looks for enrolments other instances
// made; an enrolment is found everywhere within about this long. A poll and
// not internal/events: the hub drops events for full buffers and while it
// reconnects, and a missed enrolment would be an identity no search finds.
const PollInterval = 250 * time.Millisecond

// enrolLock serialises enrolments (pg_advisory_xact_lock key) so that row ids
// commit in increasing order: a follower that has read up to id N has seen
// every committed id below it. Enrolments come a few a minute per office, so
// the queue is never long.
const enrolLock = 550_001

const batch = 4096

// Builtin is the in-process ABIS: templates in face_templates, sealed; every
// instance holds all of them in a faceindex and follows the table.
type Builtin struct {
	pool  *pgxpool.Pool
	box   *sealed.Box
	clock clock.Clock
	log   *slog.Logger

	ix     *faceindex.Index
	ready  atomic.Bool
	follow sync.Mutex // one reader of the table at a time
	last   int64      // highest row id read, under follow
}

func NewBuiltin(pool *pgxpool.Pool, box *sealed.Box, clk clock.Clock, log *slog.Logger) *Builtin {
	return &Builtin{pool: pool, box: box, clock: clk, log: log, ix: faceindex.New()}
}

// Start loads every template, then follows the table until ctx ends.
func (b *Builtin) Start(ctx context.Context) error {
	if err := b.Load(ctx); err != nil {
		return err
	}
	go b.Run(ctx)
	return nil
}

// Load reads every template not yet read; the index answers once it is done.
func (b *Builtin) Load(ctx context.Context) error {
	start := time.Now()
	n, err := b.catchUp(ctx)
	if err != nil {
		return err
	}
	b.ready.Store(true)
	b.log.Info("face index loaded", "templates", n, "identities", b.ix.Len(), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// Run polls for other instances' enrolments every PollInterval until ctx ends.
func (b *Builtin) Run(ctx context.Context) {
	t := time.NewTicker(PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := b.catchUp(ctx); err != nil && ctx.Err() == nil {
			// The row that failed is read again next time: skipping it would
			// leave an identity that no search finds.
			b.log.Error("face index: reading new templates failed", "err", err)
		}
	}
}

// Len is the number of identities the index holds.
func (b *Builtin) Len() int { return b.ix.Len() }

// catchUp reads the rows after the last one read, in id order.
func (b *Builtin) catchUp(ctx context.Context) (int, error) {
	// The connection first, then the follow lock: a capture's transaction
	// waits on the lock holding its own connection, so the holder must never
	// be waiting for one of the pool's (that deadlocked a busy pool).
	conn, err := b.pool.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Release()
	return b.catchUpOn(ctx, conn)
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// catchUpOn is catchUp through db: a capture's transaction reads through
// itself, never through a second pool connection it might wait for while
// holding its rows.
func (b *Builtin) catchUpOn(ctx context.Context, db querier) (int, error) {
	b.follow.Lock()
	defer b.follow.Unlock()
	total := 0
	for {
		rows, err := db.Query(ctx,
			`SELECT id, subject_id, embedding FROM face_templates WHERE id > $1 ORDER BY id LIMIT $2`, b.last, batch)
		if err != nil {
			return total, err
		}
		var ts []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.subject, &r.sealed); err != nil {
				rows.Close()
				return total, err
			}
			ts = append(ts, r)
		}
		if err := rows.Err(); err != nil {
			return total, err
		}
		if len(ts) == 0 {
			return total, nil
		}
		if err := b.index(ts); err != nil {
			return total, err
		}
		b.last = ts[len(ts)-1].id
		total += len(ts)
	}
}

type row struct {
	id      int64
	subject string
	sealed  []byte
}

// index opens and indexes rows in parallel (decrypting and encoding a million
// templates is most of a start-up).
func (b *Builtin) index(ts []row) error {
	procs := runtime.GOMAXPROCS(0)
	errs := make([]error, procs)
	var wg sync.WaitGroup
	for p := range procs {
		wg.Go(func() {
			for _, r := range ts[len(ts)*p/procs : len(ts)*(p+1)/procs] {
				emb, err := b.open(r)
				if err == nil {
					err = b.ix.Put(r.subject, r.id, emb)
				}
				if err != nil {
					errs[p] = fmt.Errorf("face_templates row %d: %w", r.id, err)
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (b *Builtin) open(r row) ([]float32, error) {
	plain, err := b.box.Open(r.sealed, aad(r.subject))
	if err != nil {
		return nil, err
	}
	return decode(plain)
}

// Enrol stores the template (replacing the subject's earlier one with a new
// row id, so followers see the change) and indexes it here at once.
func (b *Builtin) Enrol(ctx context.Context, e Enrolment) error {
	var id int64
	err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		var err error
		id, err = b.enrolTx(ctx, tx, e)
		return err
	})
	if err != nil {
		return err
	}
	return b.ix.Put(e.SubjectID, id, e.Embedding)
}

// enrolTx writes e's template in tx (serialised by enrolLock) and returns
// its id; the caller puts it in the index once tx has committed.
func (b *Builtin) enrolTx(ctx context.Context, tx pgx.Tx, e Enrolment) (int64, error) {
	if err := CheckSubject(e.SubjectID); err != nil {
		return 0, err
	}
	if err := CheckEmbedding(e.Embedding); err != nil {
		return 0, err
	}
	var office *string
	if e.Office != "" {
		office = &e.Office
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, enrolLock); err != nil {
		return 0, fmt.Errorf("biometric: enrol: %w", err)
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO face_templates (subject_id, office, created_at, embedding) VALUES ($1, $2, $3, $4)
		ON CONFLICT (subject_id) DO UPDATE
		SET id = nextval('face_templates_id_seq'), office = EXCLUDED.office,
		    created_at = EXCLUDED.created_at, embedding = EXCLUDED.embedding
		RETURNING id`,
		e.SubjectID, office, b.clock.Now(), b.box.Seal(encode(e.Embedding), aad(e.SubjectID))).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("biometric: enrol: %w", err)
	}
	return id, nil
}

// EnrolMany stores many templates at once (importing the faces of passports
// already issued), a thousand rows per statement; a subject given twice keeps
// the last. Every template is checked before anything is stored.
func (b *Builtin) EnrolMany(ctx context.Context, es []Enrolment) error {
	last := map[string]int{}
	for i, e := range es {
		if err := CheckSubject(e.SubjectID); err != nil {
			return fmt.Errorf("enrolment %d: %w", i, err)
		}
		if err := CheckEmbedding(e.Embedding); err != nil {
			return fmt.Errorf("enrolment %d: %w", i, err)
		}
		last[e.SubjectID] = i
	}
	var todo []Enrolment
	for i, e := range es {
		if last[e.SubjectID] == i {
			todo = append(todo, e)
		}
	}
	for len(todo) > 0 {
		n := min(len(todo), 1000)
		if err := b.insert(ctx, todo[:n]); err != nil {
			return err
		}
		todo = todo[n:]
	}
	return nil
}

func (b *Builtin) insert(ctx context.Context, es []Enrolment) error {
	subjects, offices, templates := make([]string, len(es)), make([]string, len(es)), make([][]byte, len(es))
	for i, e := range es {
		subjects[i], offices[i], templates[i] = e.SubjectID, e.Office, b.box.Seal(encode(e.Embedding), aad(e.SubjectID))
	}
	ids := make(map[string]int64, len(es))
	err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, enrolLock); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
			INSERT INTO face_templates (subject_id, office, created_at, embedding)
			SELECT s, NULLIF(o, ''), $4, e FROM unnest($1::text[], $2::text[], $3::bytea[]) AS u(s, o, e)
			ON CONFLICT (subject_id) DO UPDATE
			SET id = nextval('face_templates_id_seq'), office = EXCLUDED.office,
			    created_at = EXCLUDED.created_at, embedding = EXCLUDED.embedding
			RETURNING id, subject_id`,
			subjects, offices, templates, b.clock.Now())
		if err != nil {
			return err
		}
		var id int64
		var subject string
		_, err = pgx.ForEachRow(rows, []any{&id, &subject}, func() error { ids[subject] = id; return nil })
		return err
	})
	if err != nil {
		return fmt.Errorf("biometric: enrol: %w", err)
	}
	if len(ids) != len(es) {
		return fmt.Errorf("biometric: enrol: %d rows stored of %d", len(ids), len(es))
	}
	for _, e := range es {
		if err := b.ix.Put(e.SubjectID, ids[e.SubjectID], e.Embedding); err != nil {
			return err
		}
	}
	return nil
}

func (b *Builtin) Identify(_ context.Context, embedding []float32, limit int) ([]Candidate, error) {
	if !b.ready.Load() {
		return nil, ErrNotReady
	}
	if err := CheckEmbedding(embedding); err != nil {
		return nil, err
	}
	hits, err := b.ix.Search(embedding, clampLimit(limit))
	if err != nil {
		return nil, err
	}
	cands := make([]Candidate, len(hits))
	for i, h := range hits {
		cands[i] = Candidate{SubjectID: h.SubjectID, Score: float64(h.Score)}
	}
	return cands, nil
}

func (b *Builtin) Verify(_ context.Context, subjectID string, embedding []float32) (float64, error) {
	if !b.ready.Load() {
		return 0, ErrNotReady
	}
	if err := CheckEmbedding(embedding); err != nil {
		return 0, err
	}
	score, ok, err := b.ix.Verify(subjectID, embedding)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, ErrUnknownSubject
	}
	return float64(score), nil
}

// aad binds a sealed template to its row's subject.
func aad(subject string) []byte { return []byte("face_templates:" + subject) }

// encode is the stored form: Dim little-endian float32s.
func encode(v []float32) []byte {
	out := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(out[4*i:], math.Float32bits(x))
	}
	return out
}

func decode(b []byte) ([]float32, error) {
	if len(b) != 4*Dim {
		return nil, fmt.Errorf("a stored template has %d bytes, want %d", len(b), 4*Dim)
	}
	v := make([]float32, Dim)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}
