package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/sealed"
)

// The generated signing key is kept in settings under keyName as
// sealedPrefix + base64(sealed.Box.Seal(key, keyAAD)): sealed under DATA_KEY
// (internal/sealed), which the database never holds, so a dump or a backup
// alone cannot mint tokens. Versions before this stored base64(key) in
// clear; LoadKey seals such a value in place on first start, keeping the
// key (tokens already issued stay valid). An older binary reading a sealed
// value fails to start rather than generating a second key.
const (
	keyName      = "jwt_key"
	sealedPrefix = "sealed:"
	keySize      = 32
)

var keyAAD = []byte("settings:" + keyName)

// LoadKey returns JWT_SECRET when set, else the key generated once and kept
// in the database (sealed with box), so every instance and restart agrees on it.
func LoadKey(ctx context.Context, pool *pgxpool.Pool, secret string, box *sealed.Box) ([]byte, error) {
	if secret != "" {
		if len(secret) < 32 {
			return nil, errors.New("JWT_SECRET: want at least 32 characters")
		}
		return []byte(secret), nil
	}
	if box == nil {
		return nil, errors.New("jwt key: JWT_SECRET is unset and there is no DATA_KEY to seal a generated key with")
	}
	var key []byte
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		fresh := make([]byte, keySize)
		_, _ = rand.Read(fresh)
		// Instances starting together: one INSERT wins, the others wait
		// for it and then read (and lock) its row.
		tag, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
			keyName, sealValue(box, fresh))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			key = fresh
			return nil
		}
		var stored string
		if err := tx.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1 FOR UPDATE`, keyName).Scan(&stored); err != nil {
			return err
		}
		if key, err = openValue(box, stored); err != nil || strings.HasPrefix(stored, sealedPrefix) {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE settings SET value = $2 WHERE key = $1`, keyName, sealValue(box, key))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("jwt key: %w", err)
	}
	return key, nil
}

func sealValue(box *sealed.Box, key []byte) string {
	return sealedPrefix + base64.StdEncoding.EncodeToString(box.Seal(key, keyAAD))
}

// openValue reads a stored key: sealed, or in clear from an older version.
func openValue(box *sealed.Box, stored string) ([]byte, error) {
	b64, isSealed := strings.CutPrefix(stored, sealedPrefix)
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("settings %s is not base64", keyName)
	}
	if !isSealed {
		if len(raw) < keySize {
			return nil, fmt.Errorf("settings %s holds %d bytes, want %d", keyName, len(raw), keySize)
		}
		return raw, nil
	}
	key, err := box.Open(raw, keyAAD)
	if err != nil {
		return nil, fmt.Errorf("the stored key was sealed under another DATA_KEY: restore that DATA_KEY (or DATA_KEY_FILE), "+
			"or set JWT_SECRET; deleting the settings row %q makes a new key and signs everyone out", keyName)
	}
	return key, nil
}
