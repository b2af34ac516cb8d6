package watchlist

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/idn"
)

// Query is the applicant being checked.
type Query struct {
	NIK       string    // may be empty
	FullName  string    // as on the application
	BirthDate time.Time // the applicant's
	On        time.Time // the check date: only entries valid that day hit
}

// Hit is one entry the query matched.
type Hit struct {
	Entry
	Score float64 // 1 for a NIK match, else the names' trigram similarity
	ByNIK bool
}

// The three ways to hit, one statement and one round trip. Entries born the
// same day are few (a btree on birth_date finds them) and each is scored.
// Entries without a birth date come from the trigram GIN index: `%` selects
// candidates at pg_trgm.similarity_threshold, which Check sets to NameOnly
// for its transaction (at the default 0.3 the index returns hundreds of
// candidates, each a heap page to read), and similarity() holds it exactly.
const checkSQL = `
SELECT id, coalesce(nik, ''), full_name, name_key, birth_date, kind, reason, authority, valid_from, valid_to, score, by_nik
FROM (
	SELECT e.*, 1::real AS score, true AS by_nik FROM watchlist_entries e
	WHERE $1 <> '' AND e.nik = $1
	UNION ALL
	SELECT e.*, similarity(e.name_key, $2), false FROM watchlist_entries e
	WHERE e.birth_date = $3 AND similarity(e.name_key, $2) >= $5
	UNION ALL
	SELECT e.*, similarity(e.name_key, $2), false FROM watchlist_entries e
	WHERE e.birth_date IS NULL AND e.name_key % $2 AND similarity(e.name_key, $2) >= $6
) h
WHERE valid_from <= $4 AND (valid_to IS NULL OR valid_to >= $4)`

// Check returns the entries q hits, best first, each entry once.
func (l *List) Check(ctx context.Context, q Query) ([]Hit, error) {
	key := idn.WatchlistKey(q.FullName)
	if key == "" && q.NIK == "" {
		return nil, nil
	}
	// One round trip: the batch is one transaction (an implicit one on a
	// pool), so the local setting holds for the query after it.
	b := &pgx.Batch{}
	b.Queue(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, strconv.FormatFloat(l.cfg.NameOnly, 'f', -1, 64))
	var hits []Hit
	b.Queue(checkSQL, q.NIK, key, dateOnly(q.BirthDate), dateOnly(q.On), l.cfg.Name, l.cfg.NameOnly).Query(func(rows pgx.Rows) error {
		var err error
		hits, err = pgx.CollectRows(rows, scanHit)
		return err
	})
	if err := l.db.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	return best(hits), nil
}

func scanHit(row pgx.CollectableRow) (Hit, error) {
	var h Hit
	var birth, to *time.Time
	var score float32
	err := row.Scan(&h.ID, &h.NIK, &h.FullName, &h.NameKey, &birth, &h.Kind, &h.Reason, &h.Authority,
		&h.ValidFrom, &to, &score, &h.ByNIK)
	if birth != nil {
		h.BirthDate, h.HasBirth = *birth, true
	}
	if to != nil {
		h.ValidTo = *to
	}
	h.Score = float64(score)
	return h, err
}

// best keeps each entry once (a NIK hit may also be a name hit) with its
// higher score, and sorts by score.
func best(hits []Hit) []Hit {
	byID := map[int64]int{}
	var out []Hit
	for _, h := range hits {
		if i, ok := byID[h.ID]; ok {
			if h.Score > out[i].Score {
				out[i] = h
			}
			continue
		}
		byID[h.ID] = len(out)
		out = append(out, h)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// dateOnly is t's calendar date as PostgreSQL's date reads it.
func dateOnly(t time.Time) string { return t.Format(time.DateOnly) }
