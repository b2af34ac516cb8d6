package audit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Checkpoint is one signed chain head.
type Checkpoint struct {
	Office string    `json:"office"`
	Seq    int64     `json:"seq"`
	Hash   []byte    `json:"hash"`
	At     time.Time `json:"at"`
	MAC    []byte    `json:"mac"`
}

// AnchorSpec is how often the heads are signed: the window in which a
// rewrite of the newest entries is not yet covered by a checkpoint.
const AnchorSpec = "*/10 * * * *"

// Checkpoint signs every chain head that moved since its last checkpoint,
// after checking the links added since then, so a head is never signed over
// a rewrite. The last checkpoint is the newer of the database's and the
// file's: deleting the database copies does not reopen the signed part. It
// returns how many heads it signed and the chains it refused.
func (a *Anchor) Checkpoint(ctx context.Context, pool *pgxpool.Pool, now time.Time) (int, []Break, error) {
	rows, err := pool.Query(ctx, `SELECT h.office, h.seq, h.hash, coalesce(c.seq, 0), coalesce(c.hash, '\x'::bytea),
			coalesce(c.at, 'epoch'), coalesce(c.mac, '\x'::bytea)
		FROM audit_heads h LEFT JOIN LATERAL (SELECT seq, hash, at, mac FROM audit_checkpoints k WHERE k.office = h.office
			ORDER BY seq DESC LIMIT 1) c ON true ORDER BY h.office`)
	if err != nil {
		return 0, nil, err
	}
	type due struct {
		head head
		last Checkpoint
	}
	heads, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (due, error) {
		var d due
		err := r.Scan(&d.head.office, &d.head.seq, &d.head.hash, &d.last.Seq, &d.last.Hash, &d.last.At, &d.last.MAC)
		d.last.Office = d.head.office
		return d, err
	})
	if err != nil {
		return 0, nil, err
	}
	signed, breaks := 0, []Break(nil)
	for _, d := range heads {
		last, err := a.newest(d.last)
		if err != nil {
			return signed, breaks, err
		}
		if last.Seq == d.head.seq && bytes.Equal(last.Hash, d.head.hash) {
			continue
		}
		brk, err := verifySegment(ctx, pool, d.head.office, last.Seq, last.Hash, d.head.seq, d.head.hash)
		if err != nil {
			return signed, breaks, err
		}
		if brk != nil {
			breaks = append(breaks, *brk)
			continue
		}
		if err := a.sign(ctx, pool, d.head, now); err != nil {
			return signed, breaks, err
		}
		signed++
	}
	return signed, breaks, nil
}

// newest is the later of the database's last checkpoint (db, zero when none
// or not validly signed) and the last one in the office's file.
func (a *Anchor) newest(db Checkpoint) (Checkpoint, error) {
	if db.Seq > 0 && !a.valid(db) {
		db = Checkpoint{Office: db.Office}
	}
	f, err := a.lastInFile(db.Office)
	if err != nil {
		return db, err
	}
	if f.Seq > db.Seq {
		return f, nil
	}
	return db, nil
}

func (a *Anchor) sign(ctx context.Context, pool *pgxpool.Pool, h head, now time.Time) error {
	at := now.UTC().Truncate(time.Microsecond)
	c := Checkpoint{Office: h.office, Seq: h.seq, Hash: h.hash, At: at, MAC: a.mac(h.office, h.seq, h.hash, at)}
	if err := a.export(c); err != nil {
		return fmt.Errorf("audit anchor file: %w", err)
	}
	_, err := pool.Exec(ctx, `INSERT INTO audit_checkpoints (office, seq, hash, at, mac) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT DO NOTHING`, c.Office, c.Seq, c.Hash, c.At, c.MAC)
	return err
}

// lastInFile is the last validly signed checkpoint in the office's file,
// read from its tail (the file only grows).
func (a *Anchor) lastInFile(office string) (Checkpoint, error) {
	none := Checkpoint{Office: office}
	f, err := os.Open(a.fileOf(office))
	if errors.Is(err, os.ErrNotExist) {
		return none, nil
	}
	if err != nil {
		return none, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return none, err
	}
	off := max(0, st.Size()-8192)
	buf := make([]byte, st.Size()-off)
	if _, err := f.ReadAt(buf, off); err != nil {
		return none, err
	}
	lines := bytes.Split(buf, []byte("\n"))
	for i := len(lines) - 1; i >= 0; i-- {
		var c Checkpoint
		if json.Unmarshal(bytes.TrimSpace(lines[i]), &c) == nil && c.Office == office && a.valid(c) {
			return c, nil
		}
	}
	return none, nil
}

// verifySegment checks the links after (fromSeq, fromHash) up to the head.
func verifySegment(ctx context.Context, pool *pgxpool.Pool, office string, fromSeq int64, fromHash []byte,
	headSeq int64, headHash []byte) (*Break, error) {
	rows, err := pool.Query(ctx, `SELECT seq, at, actor, action, subject, data, prev_hash, hash
		FROM audit_log WHERE office = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`, office, fromSeq, headSeq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	w := walker{office: office, prev: fromHash, want: fromSeq + 1}
	for rows.Next() {
		if err := w.step(rows); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return w.end(headSeq, headHash), nil
}

// fileOf is the office's checkpoint file ("-", the network chain, is network.jsonl).
func (a *Anchor) fileOf(office string) string {
	if office == Network {
		office = "network"
	}
	return filepath.Join(a.Dir, office+".jsonl")
}

// export appends c to its office's file and syncs it before the database
// copy is written, so a checkpoint the database has is always on disk too.
func (a *Anchor) export(c Checkpoint) error {
	if err := os.MkdirAll(a.Dir, 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(a.fileOf(c.Office), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	line, _ := json.Marshal(c)
	_, err = f.Write(append(line, '\n'))
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// checkpoints is every checkpoint the anchor can read, the files' and the
// database's, per office by seq. One whose signature fails is a Break.
func (a *Anchor) checkpoints(ctx context.Context, pool *pgxpool.Pool) (map[string]map[int64]Checkpoint, []Break, error) {
	all := map[string]map[int64]Checkpoint{}
	var breaks []Break
	add := func(c Checkpoint, where string) {
		if !a.valid(c) {
			breaks = append(breaks, Break{c.Office, c.Seq, "checkpoint in " + where + " has a signature that does not verify (forged or altered)"})
			return
		}
		if all[c.Office] == nil {
			all[c.Office] = map[int64]Checkpoint{}
		}
		if old, ok := all[c.Office][c.Seq]; !ok || old.At.After(c.At) {
			all[c.Office][c.Seq] = c
		}
	}
	rows, err := pool.Query(ctx, `SELECT office, seq, hash, at, mac FROM audit_checkpoints`)
	if err != nil {
		return nil, nil, err
	}
	fromDB, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Checkpoint])
	if err != nil {
		return nil, nil, err
	}
	for _, c := range fromDB {
		add(c, "the database")
	}
	files, err := filepath.Glob(filepath.Join(a.Dir, "*.jsonl"))
	if err != nil {
		return nil, nil, err
	}
	for _, name := range files {
		if err := readFile(name, func(c Checkpoint) { add(c, filepath.Base(name)) }); err != nil {
			return nil, nil, err
		}
	}
	return all, breaks, nil
}

func readFile(name string, fn func(Checkpoint)) error {
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var c Checkpoint
		if err := json.Unmarshal(line, &c); err != nil {
			// A torn last line (a crash mid-write) names no head; skip it.
			continue
		}
		fn(c)
	}
	return sc.Err()
}
