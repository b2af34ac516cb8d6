package portal

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/idn"
	"github.com/sppt/sppt/internal/throttle"
)

// OTPLimits bound citizen sign-in. Zero fields take DefaultOTPLimits' values.
type OTPLimits struct {
	TTL         time.Duration // how long a code is valid
	MaxTries    int           // wrong guesses a code survives
	PerPhone    int           // codes per phone per PhoneWindow
	PhoneWindow time.Duration
	PerIP       int // codes requested by one IP per IPWindow
	FailsPerIP  int // wrong codes from one IP per IPWindow
	IPWindow    time.Duration
}

// DefaultOTPLimits are issue 3's numbers; the IP limits leave room for a
// shared mobile-carrier NAT.
var DefaultOTPLimits = OTPLimits{TTL: 5 * time.Minute, MaxTries: 5, PerPhone: 3, PhoneWindow: 15 * time.Minute,
	PerIP: 30, FailsPerIP: 50, IPWindow: 15 * time.Minute}

func (s *Service) limits() OTPLimits {
	l, d := s.Limits, DefaultOTPLimits
	pick := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	pickD := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	pickD(&l.TTL, d.TTL)
	pick(&l.MaxTries, d.MaxTries)
	pick(&l.PerPhone, d.PerPhone)
	pickD(&l.PhoneWindow, d.PhoneWindow)
	pick(&l.PerIP, d.PerIP)
	pick(&l.FailsPerIP, d.FailsPerIP)
	pickD(&l.IPWindow, d.IPWindow)
	return l
}

// errOTPInvalid is every failed verification: wrong, used, expired or
// exhausted codes look the same to the caller.
var errOTPInvalid = httpx.New(http.StatusUnauthorized, "otp_invalid")

// throttled is the 429 with Retry-After (seconds) and retry_at.
func throttled(now, retry time.Time) error {
	return httpx.TooMany("otp_rate_limited", now, retry)
}

// The per-address limits are internal/throttle's counters, exact under
// concurrency; the per-phone one counts the phone's codes under its lock.
func (l OTPLimits) issueRule() throttle.Rule {
	return throttle.Rule{Name: "otp.issue.address", Limit: l.PerIP, Window: l.IPWindow}
}

func (l OTPLimits) failRule() throttle.Rule {
	return throttle.Rule{Name: "otp.verify.address", Limit: l.FailsPerIP, Window: l.IPWindow}
}

// IssueOTP makes a code for phone (E.164) and puts its SMS in the outbox in
// the same transaction. It returns the code's lifetime.
func (s *Service) IssueOTP(ctx context.Context, phone, ip string) (time.Duration, error) {
	l, now := s.limits(), s.Clock.Now()
	code, err := newOTPCode()
	if err != nil {
		return 0, err
	}
	var salt [16]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return 0, err
	}
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		// One phone's requests are serialised so two at once cannot both pass the count.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('citizen_otp:' || $1, 0))`, phone); err != nil {
			return err
		}
		if err := s.otpAllowed(ctx, tx, phone, ip, now); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO citizen_otps (phone, ip, salt, code_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			phone, ip, salt[:], hashOTP(salt[:], phone, code), now, now.Add(l.TTL)).Scan(&id)
		if err != nil {
			return err
		}
		if err := s.OTP.SendOTP(ctx, tx, phone, code, fmt.Sprintf("otp:%d", id), l.TTL); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{At: now, Actor: "citizen:" + idn.MaskPhone(phone),
			Action: "citizen.otp_issue", Subject: fmt.Sprintf("otp:%d", id), Data: map[string]any{}})
	})
	return l.TTL, err
}

// otpAllowed applies the per-phone and per-IP request limits; the IP's slot
// is taken in tx, so it is counted exactly when the code is issued.
func (s *Service) otpAllowed(ctx context.Context, tx pgx.Tx, phone, ip string, now time.Time) error {
	l := s.limits()
	var n int
	var oldest *time.Time
	err := tx.QueryRow(ctx, `SELECT count(*), min(created_at) FROM citizen_otps WHERE phone = $1 AND created_at > $2`,
		phone, now.Add(-l.PhoneWindow)).Scan(&n, &oldest)
	if err != nil {
		return err
	}
	if n >= l.PerPhone {
		return throttled(now, oldest.Add(l.PhoneWindow))
	}
	_, err = throttle.Take(ctx, tx, now, l.issueRule().For(ip))
	if refused, ok := errors.AsType[*throttle.Refused](err); ok {
		return throttled(now, refused.RetryAt)
	}
	return err
}

// VerifyOTP checks code against phone's newest live code and, when it
// matches, uses it up and returns nil. Wrong guesses count against the code
// and the IP: each attempt takes a slot of the IP's limit first and gives it
// back only when the code was right.
func (s *Service) VerifyOTP(ctx context.Context, phone, code, ip string) error {
	l, now := s.limits(), s.Clock.Now()
	slots, err := throttle.Take(ctx, s.Pool, now, l.failRule().For(ip))
	if refused, ok := errors.AsType[*throttle.Refused](err); ok {
		return throttled(now, refused.RetryAt)
	}
	if err != nil {
		return err
	}
	ok := false
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var id int64
		var salt, hash []byte
		err := tx.QueryRow(ctx, `SELECT id, salt, code_hash FROM citizen_otps
			WHERE phone = $1 AND used_at IS NULL AND expires_at > $2 AND attempts < $3
			ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE`, phone, now, l.MaxTries).Scan(&id, &salt, &hash)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return nil
		case err != nil:
			return err
		}
		if subtle.ConstantTimeCompare(hash, hashOTP(salt, phone, code)) != 1 {
			_, err := tx.Exec(ctx, `UPDATE citizen_otps SET attempts = attempts + 1 WHERE id = $1`, id)
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE citizen_otps SET used_at = $2 WHERE id = $1`, id, now); err != nil {
			return err
		}
		ok = true
		return audit.Append(ctx, tx, audit.Entry{At: now, Actor: "citizen:" + idn.MaskPhone(phone),
			Action: "citizen.sign_in", Subject: fmt.Sprintf("otp:%d", id), Data: map[string]any{}})
	})
	if err != nil {
		return err
	}
	if !ok {
		return errOTPInvalid
	}
	return slots.Return(ctx, s.Pool)
}

// newOTPCode is six uniformly random digits.
func newOTPCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// hashOTP binds the code to its phone and a per-code salt.
func hashOTP(salt []byte, phone, code string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(phone))
	h.Write([]byte{0})
	h.Write([]byte(code))
	return h.Sum(nil)
}

// validOTPFormat is exactly six ASCII digits.
func validOTPFormat(code string) bool {
	if len(code) != 6 {
		return false
	}
	for i := 0; i < 6; i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}
