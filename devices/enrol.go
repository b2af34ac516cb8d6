package devices

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/db"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/throttle"
)

// Enrolment by one-time code: an admin creates a device on the devices page
// and reads a short code off the screen; the person setting up the kiosk or
// TV types it there and the device receives its token. The code is short to
// type, so it is single-use, lives EnrolCodeTTL, is kept only as a hash, and
// wrong guesses are limited per client address.

// EnrolAlphabet has no characters that read alike (0/O, 1/I/L).
const EnrolAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

const (
	// EnrolCodeLen is 8 characters: 31^8 ≈ 8.5e11 codes, shown as XXXX-XXXX.
	EnrolCodeLen = 8
	// EnrolCodeTTL is how long a code may be typed.
	EnrolCodeTTL = 15 * time.Minute
	// EnrolMaxFailures wrong codes per address within EnrolWindow, then 429.
	EnrolMaxFailures = 10
	EnrolWindow      = 15 * time.Minute
)

// Enrolment is a device created to be enrolled with Code.
type Enrolment struct {
	Device    Device    `json:"device"`
	Code      string    `json:"enrol_code"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Enrolled is what a device receives for its code.
type Enrolled struct {
	Token  string `json:"token"`
	ID     string `json:"id"`
	Office string `json:"office"`
	Kind   string `json:"kind"`
	Name   string `json:"name"`
}

// newEnrolCode is EnrolCodeLen characters of EnrolAlphabet, uniformly drawn.
func newEnrolCode() string {
	b := make([]byte, EnrolCodeLen)
	for i := range b {
		var r [1]byte
		for {
			_, _ = rand.Read(r[:])
			// 248 = 8 × 31: rejecting above it keeps every character equally likely.
			if r[0] < 248 {
				break
			}
		}
		b[i] = EnrolAlphabet[int(r[0])%len(EnrolAlphabet)]
	}
	return string(b)
}

// FormatEnrolCode is the code as shown: XXXX-XXXX.
func FormatEnrolCode(code string) string {
	if len(code) != EnrolCodeLen {
		return code
	}
	return code[:4] + "-" + code[4:]
}

// NormalizeEnrolCode undoes what people type around a code (spaces, dashes,
// lower case); "" when it cannot be a code.
func NormalizeEnrolCode(s string) string {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(s)))
	if len(s) != EnrolCodeLen {
		return ""
	}
	for _, r := range s {
		if !strings.ContainsRune(EnrolAlphabet, r) {
			return ""
		}
	}
	return s
}

func hashCode(code string) []byte {
	h := sha256.Sum256([]byte("sppt-enrol:" + code))
	return h[:]
}

// validateNewDevice checks the admin's form and names the wrong field.
func validateNewDevice(kind, name string) error {
	v := httpx.Invalid()
	if kind == "" {
		v.Field("kind", "field.required")
	} else if !slices.Contains(Kinds, kind) {
		v.Field("kind", "devices.field.kind")
	}
	if strings.TrimSpace(name) == "" {
		v.Field("name", "field.required")
	} else if utf8.RuneCountInString(name) > 80 {
		v.Field("name", "devices.field.name_long")
	}
	return v.OrNil()
}

// CreateForEnrolment adds a device awaiting enrolment and returns its code
// (shown once). The device has no usable token until the code is redeemed.
func (r *Registry) CreateForEnrolment(ctx context.Context, office, kind, name, actor string, now time.Time) (Enrolment, error) {
	name = strings.TrimSpace(name)
	if err := validateNewDevice(kind, name); err != nil {
		return Enrolment{}, err
	}
	e := Enrolment{Code: newEnrolCode(), ExpiresAt: now.Add(EnrolCodeTTL),
		Device: Device{ID: uuid.New(), Office: office, Kind: kind, Name: name, State: StatePending, CreatedAt: now}}
	// A placeholder until enrolment: the hash of random bytes matches no token.
	placeholder := sha256.Sum256([]byte(rand.Text()))
	err := pgx.BeginFunc(ctx, r.Pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO devices (id, office, kind, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			e.Device.ID, office, kind, name, placeholder[:], now)
		if db.IsUnique(err, "") {
			return httpx.Invalid().Field("name", "devices.field.name_taken")
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO device_enrol_codes (device_id, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			e.Device.ID, hashCode(e.Code), now, e.ExpiresAt); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "device.enrol_code",
			Subject: "device:" + e.Device.ID.String(), Data: map[string]string{"kind": kind, "name": name, "expires_at": e.ExpiresAt.Format(time.RFC3339)}})
	})
	return e, err
}

// ErrEnrolCode is every refused code alike: wrong, expired, used, or its
// device revoked (telling them apart would help someone guessing).
func errEnrolCode() error {
	return httpx.New(http.StatusUnprocessableEntity, "enrol_code_invalid").Field("code", "devices.field.code_invalid")
}

// enrolGuesses limits wrong codes per client address (internal/throttle:
// each attempt takes a slot first and a right code gives it back).
var enrolGuesses = throttle.Rule{Name: "devices.enrol.address", Limit: EnrolMaxFailures, Window: EnrolWindow}

// Redeem exchanges a one-time code for the device's token. kinds, when
// given, are the kinds this screen accepts (the kiosk's setup takes a kiosk
// code only); client is the address key (httpx.ClientKey) for the attempt limit.
func (r *Registry) Redeem(ctx context.Context, input, client string, now time.Time, kinds ...string) (Enrolled, error) {
	slots, err := throttle.Take(ctx, r.Pool, now, enrolGuesses.For(client))
	if refused, ok := errors.AsType[*throttle.Refused](err); ok {
		return Enrolled{}, httpx.TooMany("too_many_requests", now, refused.RetryAt)
	}
	if err != nil {
		return Enrolled{}, err
	}
	code := NormalizeEnrolCode(input)
	if code == "" {
		return Enrolled{}, httpx.Invalid().Field("code", "devices.field.code_format")
	}
	var out Enrolled
	err = pgx.BeginFunc(ctx, r.Pool, func(tx pgx.Tx) error {
		var id uuid.UUID
		err := tx.QueryRow(ctx, `SELECT d.id, d.office, d.kind, d.name FROM device_enrol_codes c JOIN devices d ON d.id = c.device_id
			WHERE c.code_hash = $1 AND c.used_at IS NULL AND c.expires_at > $2 AND d.revoked_at IS NULL
			FOR UPDATE OF c`, hashCode(code), now).Scan(&id, &out.Office, &out.Kind, &out.Name)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && len(kinds) > 0 && !slices.Contains(kinds, out.Kind)) {
			return errEnrolCode()
		}
		if err != nil {
			return err
		}
		out.ID = id.String()
		tok, _, err := r.Tokens.Mint(auth.Device, out.ID, TokenTTL, auth.Claims{Office: out.Office, Kind: out.Kind, Name: out.Name})
		if err != nil {
			return err
		}
		out.Token = tok
		hash := sha256.Sum256([]byte(tok))
		if _, err := tx.Exec(ctx, `UPDATE device_enrol_codes SET used_at = $2 WHERE device_id = $1`, id, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE devices SET token_hash = $2, enrolled_at = $3 WHERE id = $1`, id, hash[:], now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: out.Office, At: now, Actor: "device:" + out.ID, Action: "device.enrol",
			Subject: "device:" + out.ID, Data: map[string]string{"kind": out.Kind, "name": out.Name, "via": "code"}})
	})
	if err != nil {
		return Enrolled{}, err // a wrong code keeps its slot: it counts
	}
	return out, slots.Return(ctx, r.Pool)
}
