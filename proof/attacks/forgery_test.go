package attacks

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/proof/prooftest"
)

// forgery is one token sent at a real route instead of a genuine one.
type forgery struct {
	name, method, path, token string
	body                      any
	want                      int    // the refusal: 401, or 403 for a password-change token
	header                    string // sent as the whole Authorization header instead of "Bearer token"
}

// claims are a genuine officer token's claims for office A's validator,
// minted now: each forgery changes one thing.
func (w *world) claims() jwt.MapClaims {
	now := w.clk.Now()
	return jwt.MapClaims{"iss": "sppt", "sub": "1", "aud": []string{auth.Officer}, "iat": now.Unix(),
		"nbf": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix(), "office": officeA,
		"roles": []string{"validator"}, "name": "jks.validator", "iat_ms": now.UnixMilli()}
}

func (w *world) sign(m jwt.SigningMethod, key any, c jwt.MapClaims) string {
	w.t.Helper()
	s, err := jwt.NewWithClaims(m, c).SignedString(key)
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

// with is the genuine claims with one changed (a nil value removes it).
func (w *world) with(k string, v any) jwt.MapClaims {
	c := w.claims()
	if v == nil {
		delete(c, k)
	} else {
		c[k] = v
	}
	return c
}

// tamper re-encodes token's payload with claim k set to v, keeping the
// original signature.
func tamper(t testing.TB, token, k string, v any) string {
	parts := strings.Split(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	c[k] = v
	raw, _ = json.Marshal(c)
	parts[1] = base64.RawURLEncoding.EncodeToString(raw)
	return strings.Join(parts, ".")
}

// TestTokenForgeries sends every forged, stolen-audience, damaged, expired
// and revoked token the tests know at real routes of a running instance,
// each refused, after the genuine tokens were admitted on the same routes.
func TestTokenForgeries(t *testing.T) {
	w := newWorld(t)
	code, phone, _ := w.booking()
	w.start()
	no := w.app(civil.StageDesk)
	office := "/api/v1/backoffice/applications/" + no
	const device = "/api/v1/devices/heartbeat"
	citizenPath := "/api/v1/bookings/" + code
	// The officer token the forgeries start from is a password sign-in's.
	validator := w.in.OfficerToken(t, officeA, "jks.signin", "validator")
	kiosk, citizen := w.device[officeA]["kiosk"], w.in.CitizenToken(t, phone)
	beat := map[string]string{"status": "ok"}
	genuine := 0
	for _, g := range []forgery{{"officer", "GET", office, validator, nil, 200, ""}, {"device", "POST", device, kiosk, beat, 200, ""},
		{"citizen", "GET", citizenPath, citizen, nil, 200, ""}, {"forged-shape officer", "GET", office, w.sign(jwt.SigningMethodHS256, []byte(jwtSecret), w.claims()), nil, 200, ""}} {
		if r := w.in.Do(t, g.method, g.path, g.token, g.body); r.Status != 200 {
			t.Fatalf("genuine %s token on %s: %d %s", g.name, g.path, r.Status, r.Body)
		}
		genuine++
	}

	key := []byte(jwtSecret)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := w.clk.Now()
	unsigned := w.sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, w.with("roles", []string{"admin", "validator"}))
	revoked := w.revokedDevice()
	mustChange := w.sign(jwt.SigningMethodHS256, key, w.with("pwd_change", true))
	late := auth.Leeway + time.Minute
	officerOn := func(name, tok string) forgery { return forgery{name, "GET", office, tok, nil, 401, ""} }
	forged := []forgery{
		officerOn("alg none", unsigned),
		officerOn("HS512 with the right key (algorithm not pinned)", w.sign(jwt.SigningMethodHS512, key, w.claims())),
		officerOn("RS256 with an attacker's key (HS/RS confusion)", w.sign(jwt.SigningMethodRS256, rsaKey, w.claims())),
		officerOn("HS256 with a wrong key", w.sign(jwt.SigningMethodHS256, []byte("another-secret-of-at-least-32-chars!"), w.claims())),
		officerOn("expired", w.sign(jwt.SigningMethodHS256, key, w.with("exp", now.Add(-late).Unix()))),
		officerOn("not yet valid (nbf)", w.sign(jwt.SigningMethodHS256, key, w.with("nbf", now.Add(late).Unix()))),
		officerOn("issued in the future (iat)", w.sign(jwt.SigningMethodHS256, key, w.with("iat", now.Add(late).Unix()))),
		officerOn("no expiry", w.sign(jwt.SigningMethodHS256, key, w.with("exp", nil))),
		officerOn("wrong issuer", w.sign(jwt.SigningMethodHS256, key, w.with("iss", "evil"))),
		officerOn("no subject", w.sign(jwt.SigningMethodHS256, key, w.with("sub", nil))),
		officerOn("two audiences", w.sign(jwt.SigningMethodHS256, key, w.with("aud", []string{auth.Officer, auth.Device}))),
		officerOn("tampered payload (roles)", tamper(t, validator, "roles", []string{"admin", "national_admin"})),
		officerOn("tampered payload (office)", tamper(t, w.officer[officeB]["validator"], "office", officeA)),
		officerOn("truncated signature", validator[:len(validator)-6]),
		officerOn("header and payload only", validator[:strings.LastIndex(validator, ".")]),
		officerOn("citizen token on an officer route", citizen),
		officerOn("device token on an officer route", kiosk),
		{"officer token on a device route", "POST", device, validator, beat, 401, ""},
		{"citizen token on a device route", "POST", device, citizen, beat, 401, ""},
		{"officer token on a citizen route", "GET", citizenPath, validator, nil, 401, ""},
		{"device token on a citizen route", "GET", citizenPath, kiosk, nil, 401, ""},
		{"revoked device", "POST", device, revoked, beat, 401, ""},
		{"password-change-only token", "GET", office, mustChange, nil, 403, ""},
		{"token without the Bearer scheme", "GET", office, "", nil, 401, validator},
		officerOn("garbage", "abc.def.ghi"),
	}
	held := 0
	for _, f := range forged {
		var hdr []string
		if f.header != "" {
			hdr = []string{"Authorization", f.header}
		}
		r := w.in.Do(t, f.method, f.path, f.token, f.body, hdr...)
		if r.Status == f.want && refused(r) {
			held++
		} else {
			t.Errorf("%s: %d %.200s, want %d", f.name, r.Status, r.Body, f.want)
		}
	}
	prooftest.Line(t, "attacks", "token forgeries at real officer, device and citizen routes", held, len(forged),
		prooftest.Figure("variants", len(forged)), prooftest.Figure("genuine admitted first", genuine))
}

// revokedDevice is a kiosk of office A whose token worked, then revoked
// by the office's admin: its token, once every instance refuses it.
func (w *world) revokedDevice() string {
	w.t.Helper()
	id, tok, err := w.in.App.Devices.Add(w.ctx, officeA, "kiosk", "revoked kiosk", "test", w.clk.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	beat := map[string]string{"status": "ok"}
	if r := w.in.Do(w.t, "POST", "/api/v1/devices/heartbeat", tok, beat); r.Status != 200 {
		w.t.Fatalf("device before revocation: %d %s", r.Status, r.Body)
	}
	if r := w.in.Do(w.t, "POST", "/api/v1/backoffice/devices/"+id.String()+"/revoke", w.officer[officeA]["admin"], nil); r.Status != 200 {
		w.t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if w.in.Do(w.t, "POST", "/api/v1/devices/heartbeat", tok, beat).Status == 401 {
			break
		}
	}
	return tok
}
