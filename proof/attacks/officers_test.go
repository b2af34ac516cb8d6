package attacks

import (
	"strconv"
	"strings"

	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/internal/auth"
)

// officerToken records an officer (office or region) and signs its token
// as a password sign-in does (backoffice/officer mintFor: subject the
// officer's id, its office, region, roles and username). The officer has
// no usable password: two argon2id hashes per officer are most of a
// -race run, and the sign-in itself is not what the matrix attacks (the
// forgeries start from a real one, forgery_test.go).
func (w *world) officerToken(office, region, username string, roles ...string) string {
	w.t.Helper()
	var id int64
	err := w.in.Pool.QueryRow(w.ctx, `INSERT INTO officers (username, password_hash, office, region, roles, created_at)
		VALUES ($1, '!', NULLIF($2, ''), NULLIF($3, ''), $4, $5) RETURNING id`,
		username, office, region, roles, w.clk.Now()).Scan(&id)
	if err != nil {
		w.t.Fatal(err)
	}
	tok, _, err := w.in.App.Tokens.Mint(auth.Officer, strconv.FormatInt(id, 10), officer.OfficerTokenTTL,
		auth.Claims{Office: office, Region: region, Roles: roles, Name: username})
	if err != nil {
		w.t.Fatal(err)
	}
	return tok
}

func lower(s string) string { return strings.ToLower(s) }
