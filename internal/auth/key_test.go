package auth_test

import (
	"context"
	"encoding/base64"
	"strings"
	"sync"
	"testing"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/sealed"
	"github.com/sppt/sppt/internal/testdb"
)

// Without JWT_SECRET the signing key is generated once and kept in the
// database — sealed under DATA_KEY, so a dump or a backup of the database
// alone cannot mint tokens. A key an older version stored in clear is
// sealed on the first start, unchanged (tokens already issued stay valid).
func TestJWTKeySealedInDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	box := sealed.Random()
	t.Run("fresh", func(t *testing.T) {
		pool, _ := testdb.Pool(t, testdb.Seed{})
		var keys [8][]byte
		var wg sync.WaitGroup
		for i := range keys { // instances starting together agree on one key
			wg.Go(func() {
				k, err := auth.LoadKey(ctx, pool, "", box)
				if err != nil {
					t.Error(err)
				}
				keys[i] = k
			})
		}
		wg.Wait()
		for i := range keys {
			if len(keys[i]) != 32 || string(keys[i]) != string(keys[0]) {
				t.Fatalf("key %d: %x, key 0: %x", i, keys[i], keys[0])
			}
		}
		var v string
		if err := pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'jwt_key'`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(v, base64.StdEncoding.EncodeToString(keys[0])) || !strings.HasPrefix(v, "sealed:") {
			t.Errorf("the stored key is in clear: %q", v)
		}
		if _, err := auth.LoadKey(ctx, pool, "", sealed.Random()); err == nil || !strings.Contains(err.Error(), "DATA_KEY") {
			t.Errorf("another DATA_KEY opened the stored key: %v", err)
		}
	})

	t.Run("clear key of an older version", func(t *testing.T) {
		pool, _ := testdb.Pool(t, testdb.Seed{})
		old := []byte("0123456789abcdef0123456789abcdef")
		if _, err := pool.Exec(ctx, `INSERT INTO settings (key, value) VALUES ('jwt_key', $1)`, base64.StdEncoding.EncodeToString(old)); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			k, err := auth.LoadKey(ctx, pool, "", box)
			if err != nil || string(k) != string(old) {
				t.Fatalf("old key: %q %v", k, err)
			}
		}
		var v string
		if err := pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'jwt_key'`).Scan(&v); err != nil || !strings.HasPrefix(v, "sealed:") {
			t.Errorf("the clear key was not sealed: %q %v", v, err)
		}
	})

	t.Run("JWT_SECRET", func(t *testing.T) {
		pool, _ := testdb.Pool(t, testdb.Seed{})
		k, err := auth.LoadKey(ctx, pool, strings.Repeat("s", 32), nil)
		if err != nil || string(k) != strings.Repeat("s", 32) {
			t.Fatalf("%q %v", k, err)
		}
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM settings WHERE key = 'jwt_key'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("JWT_SECRET set, yet a key was stored: %d %v", n, err)
		}
	})
}
