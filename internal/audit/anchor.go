package audit

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// An Anchor signs chain heads with a key the database never holds and keeps
// each signed head (a checkpoint) both in audit_checkpoints and in a file
// under Dir, off the database. Whoever can rewrite audit_log as superuser can
// recompute every SHA-256 link after the row they changed, but cannot sign
// the new head, nor reach the files: Verify finds the rewrite at the first
// checkpoint that no longer matches.
type Anchor struct {
	key []byte
	Dir string // where the checkpoint files go: one append-only file per office
}

// KeySize is the HMAC-SHA256 key length in bytes.
const KeySize = 32

// DevKeyFile and DevAnchorDir are development's defaults under the working
// directory (.data/ is git-ignored).
const (
	DevKeyFile   = ".data/audit.key"
	DevAnchorDir = ".data/audit-anchors"
)

// NewAnchor is an anchor with a 32-byte key writing its files under dir.
func NewAnchor(key []byte, dir string) (*Anchor, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("audit: the key has %d bytes, want %d", len(key), KeySize)
	}
	if dir == "" {
		return nil, errors.New("audit: AUDIT_ANCHOR_DIR is empty")
	}
	return &Anchor{key: append([]byte(nil), key...), Dir: dir}, nil
}

// LoadAnchor finds the key: auditKey (AUDIT_KEY, base64 of 32 bytes), else
// the file auditKeyFile names (AUDIT_KEY_FILE), else — outside production
// only — DevKeyFile, generated on first use. dir (AUDIT_ANCHOR_DIR) defaults
// to DevAnchorDir outside production. source names the key's origin for the
// start-up log, never the key.
func LoadAnchor(auditKey, auditKeyFile, dir string, production bool) (a *Anchor, source string, err error) {
	var key []byte
	switch {
	case auditKey != "":
		key, err = base64.StdEncoding.DecodeString(strings.TrimSpace(auditKey))
		source = "AUDIT_KEY"
	case auditKeyFile != "":
		key, err = keyFromFile(auditKeyFile)
		source = "AUDIT_KEY_FILE"
	case production:
		return nil, "", errors.New("AUDIT_KEY or AUDIT_KEY_FILE is required when SPPT_ENV=production")
	default:
		if err := createDevKey(DevKeyFile); err != nil {
			return nil, "", err
		}
		key, err = keyFromFile(DevKeyFile)
		source = DevKeyFile
	}
	if err != nil || len(key) != KeySize {
		return nil, "", fmt.Errorf("%s: want the base64 of %d random bytes", source, KeySize)
	}
	if dir == "" {
		if production {
			return nil, "", errors.New("AUDIT_ANCHOR_DIR is required when SPPT_ENV=production")
		}
		dir = DevAnchorDir
	}
	a, err = NewAnchor(key, dir)
	return a, source, err
}

// mac signs one checkpoint; every field is in it, so none can be moved to
// another office, position or time.
func (a *Anchor) mac(office string, seq int64, hash []byte, at time.Time) []byte {
	m := hmac.New(sha256.New, a.key)
	for _, f := range []string{"sppt audit checkpoint v1", office, strconv.FormatInt(seq, 10), hex.EncodeToString(hash),
		at.UTC().Format(time.RFC3339Nano)} {
		m.Write([]byte(f))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}

func (a *Anchor) valid(c Checkpoint) bool {
	return hmac.Equal(c.MAC, a.mac(c.Office, c.Seq, c.Hash, c.At))
}

func keyFromFile(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(raw))); err == nil {
		return key, nil
	}
	return raw, nil
}

// createDevKey writes a random key unless the file exists; hard-linking a
// finished temporary file into place lets two processes starting together
// agree on one key.
func createDevKey(path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".audit.key-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	key := make([]byte, KeySize)
	rand.Read(key)
	_, err = tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	return nil
}
