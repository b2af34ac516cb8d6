// Package sealed encrypts specific personal data (face templates, and later
// images, signatures and scans) with AES-256-GCM under a key the database
// does not hold: a stolen dump or backup reveals nothing without it.
//
// A sealed value is: version byte (1), 12-byte random nonce, ciphertext and
// tag. The caller passes associated data that names what the value belongs to
// (e.g. "face_templates:" + subject id), so a ciphertext copied onto another
// row fails to open instead of silently becoming someone else's biometrics.
package sealed

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const version = 1

// KeySize is the AES-256 key length in bytes.
const KeySize = 32

// ErrOpen is any failure to open a sealed value: wrong key, altered bytes,
// wrong associated data. Which one is deliberately not said.
var ErrOpen = errors.New("sealed: cannot open the value (wrong key or altered data)")

// Box seals and opens values with one key; safe for concurrent use.
type Box struct{ aead cipher.AEAD }

// New makes a box from a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("sealed: the key has %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Random is a box with a fresh random key (tests).
func Random() *Box {
	b, err := New(randomBytes(KeySize))
	if err != nil {
		panic(err)
	}
	return b
}

// Seal encrypts plain, bound to aad.
func (b *Box) Seal(plain, aad []byte) []byte {
	out := make([]byte, 1, 1+b.aead.NonceSize()+len(plain)+b.aead.Overhead())
	out[0] = version
	out = append(out, randomBytes(b.aead.NonceSize())...)
	return b.aead.Seal(out, out[1:], plain, aad)
}

// Open decrypts a value Seal made with the same key and aad.
func (b *Box) Open(sealed, aad []byte) ([]byte, error) {
	ns := b.aead.NonceSize()
	if len(sealed) < 1+ns+b.aead.Overhead() || sealed[0] != version {
		return nil, ErrOpen
	}
	plain, err := b.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], aad)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// DevKeyFile is where development keeps its generated key, under the working
// directory (.data/ is git-ignored).
const DevKeyFile = ".data/data.key"

// Load finds the key: dataKey (DATA_KEY, base64 of 32 bytes), else the file
// dataKeyFile names (DATA_KEY_FILE: base64 text or 32 raw bytes), else — only
// outside production — DevKeyFile, generated on first use with mode 0600.
// source says which, for the start-up log (never the key).
func Load(dataKey, dataKeyFile string, production bool) (box *Box, source string, err error) {
	switch {
	case dataKey != "":
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(dataKey))
		if err != nil || len(key) != KeySize {
			return nil, "", fmt.Errorf("DATA_KEY: want the base64 of %d random bytes", KeySize)
		}
		box, err := New(key)
		return box, "DATA_KEY", err
	case dataKeyFile != "":
		box, err := fromFile(dataKeyFile)
		if err != nil {
			return nil, "", fmt.Errorf("DATA_KEY_FILE: %w", err)
		}
		return box, "DATA_KEY_FILE", nil
	case production:
		return nil, "", errors.New("DATA_KEY or DATA_KEY_FILE is required when SPPT_ENV=production")
	}
	if err := createDevKey(DevKeyFile); err != nil {
		return nil, "", err
	}
	box, err = fromFile(DevKeyFile)
	return box, DevKeyFile, err
}

func fromFile(path string) (*Box, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(raw))); err == nil && len(key) == KeySize {
		return New(key)
	}
	if len(raw) == KeySize {
		return New(raw)
	}
	return nil, fmt.Errorf("%s holds neither the base64 of %d bytes nor %d raw bytes", path, KeySize, KeySize)
}

// createDevKey writes a new random key unless the file exists. The key is
// written to a temporary file and hard-linked into place, so two processes
// starting together agree on one key and never read a half-written file.
func createDevKey(path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".data.key-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(base64.StdEncoding.EncodeToString(randomBytes(KeySize)) + "\n")
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

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand crashes the program instead)
	return b
}
