// Package audit writes and verifies the append-only, hash-chained audit log.
// Each office has its own chain; an entry is written in the same transaction
// as the change it records, so the log and the data never disagree.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Network is the chain for entries that belong to no single office.
const Network = "-"

// Entry is one recorded action. Data must not hold PII in clear.
type Entry struct {
	Office  string
	At      time.Time
	Actor   string // "officer:12", "citizen:+62…" (masked), "device:uuid", "system"
	Action  string // "booking.create", "officer.login", …
	Subject string // what was acted on: "booking:ABC123"
	Data    any    // marshalled to JSON
}

// Append writes entries to their offices' chains inside tx. Entries of one
// office are chained in the order given.
func Append(ctx context.Context, tx pgx.Tx, entries ...Entry) error {
	byOffice := map[string][]Entry{}
	var order []string
	for _, e := range entries {
		if e.Office == "" {
			e.Office = Network
		}
		if _, ok := byOffice[e.Office]; !ok {
			order = append(order, e.Office)
		}
		byOffice[e.Office] = append(byOffice[e.Office], e)
	}
	for _, office := range order {
		if err := appendChain(ctx, tx, office, byOffice[office]); err != nil {
			return err
		}
	}
	return nil
}

func appendChain(ctx context.Context, tx pgx.Tx, office string, entries []Entry) error {
	var seq int64
	var prev []byte
	// The upsert locks the office's head row until commit, serialising writers of one chain.
	err := tx.QueryRow(ctx, `INSERT INTO audit_heads (office) VALUES ($1)
		ON CONFLICT (office) DO UPDATE SET office = excluded.office RETURNING seq, hash`, office).Scan(&seq, &prev)
	if err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	n := len(entries)
	seqs, ats, prevs, hashes := make([]int64, n), make([]time.Time, n), make([][]byte, n), make([][]byte, n)
	actors, actions, subjects, datas := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, e := range entries {
		data, err := json.Marshal(e.Data)
		if err != nil {
			return fmt.Errorf("audit data: %w", err)
		}
		seq++
		at := e.At.UTC().Truncate(time.Microsecond)
		h := Hash(prev, office, seq, at, e.Actor, e.Action, e.Subject, string(data))
		seqs[i], ats[i], prevs[i], hashes[i] = seq, at, prev, h
		actors[i], actions[i], subjects[i], datas[i] = e.Actor, e.Action, e.Subject, string(data)
		prev = h
	}
	// One statement for the entries and one for the head, in one round trip:
	// a group commit writes hundreds of entries.
	batch := &pgx.Batch{}
	batch.Queue(`INSERT INTO audit_log (office, seq, at, actor, action, subject, data, prev_hash, hash)
		SELECT $1, s, a, ac, act, sub, d, p, h
		FROM unnest($2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bytea[], $9::bytea[])
			AS t(s, a, ac, act, sub, d, p, h)`, office, seqs, ats, actors, actions, subjects, datas, prevs, hashes)
	batch.Queue(`UPDATE audit_heads SET seq = $2, hash = $3 WHERE office = $1`, office, seq, prev)
	return tx.SendBatch(ctx, batch).Close()
}

// Hash is the chain link: SHA-256 over the previous hash and the entry's fields.
func Hash(prev []byte, office string, seq int64, at time.Time, actor, action, subject, data string) []byte {
	h := sha256.New()
	h.Write(prev)
	for _, f := range []string{office, strconv.FormatInt(seq, 10), at.UTC().Format(time.RFC3339Nano), actor, action, subject, data} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return h.Sum(nil)
}
