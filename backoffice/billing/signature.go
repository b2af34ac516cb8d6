package billing

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sppt/sppt/internal/httpx"
)

// SignatureHeader carries the bank's signature: t=<unix seconds>,v1=<hex>.
const SignatureHeader = "X-SPPT-Signature"

// SignatureWindow is how far a signature's timestamp may be from now, either
// way: older is a replay of a captured request, newer a clock gone wrong.
const SignatureWindow = 5 * time.Minute

var errSignature = httpx.New(http.StatusUnauthorized, "bank_signature_invalid")

// Sign is the header value for body signed at t with secret: what the bank
// sends (and what tests and simulators use).
func Sign(secret, body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// VerifySignature checks header against the raw body: HMAC-SHA256 of
// "<t>.<body>" keyed with secret, compared in constant time, t within
// SignatureWindow of now. Several v1 values are allowed, so a bank can roll
// its key over. An empty secret accepts nothing.
func VerifySignature(secret []byte, header string, body []byte, now time.Time) error {
	if len(secret) == 0 || header == "" || len(header) > 1024 {
		return errSignature
	}
	var ts string
	var sigs [][]byte
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return errSignature
		}
		switch k {
		case "t":
			if ts != "" {
				return errSignature
			}
			ts = v
		case "v1":
			if sig, err := hex.DecodeString(v); err == nil && len(sig) == sha256.Size {
				sigs = append(sigs, sig)
			}
		}
	}
	if len(ts) == 0 || len(ts) > 12 || strings.Trim(ts, "0123456789") != "" || len(sigs) == 0 {
		return errSignature
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errSignature
	}
	if d := now.Sub(time.Unix(unix, 0)); d > SignatureWindow || d < -SignatureWindow {
		return errSignature
	}
	want := mac(secret, ts, body)
	for _, sig := range sigs {
		if hmac.Equal(sig, want) {
			return nil
		}
	}
	return errSignature
}
