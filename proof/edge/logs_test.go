package edge_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/proof/prooftest"
)

const (
	twilioToken   = "edge-twilio-auth-token"
	twilioAccount = "ACedge000000000000000000000000001"
	bankSecret    = "edge-bank-callback-secret-0123"
)

// deskDay is Wednesday 4 March 2026, 09:00 WIB: JKS is open.
var deskDay = time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)

var sidSeq atomic.Int64

// planted is what must never reach the logs, by what it is.
type planted map[string][]string

func (p planted) add(kind, v string) { p[kind] = append(p[kind], v) }

// TestLogsHoldNoPersonalData drives a whole day's traffic through one
// instance with its logs captured at debug level — citizens signing in by
// OTP (API and page), booking (and a refused booking), looking up their
// status (right and wrong birth dates), texting the SMS keywords, going
// through the pipeline from the kiosk to the bank's callback, officers
// signing in (API, page, wrong passwords) — and searches the logs for every
// NIK, name, phone, birth date, OTP code, booking code and token planted.
func TestLogsHoldNoPersonalData(t *testing.T) {
	t.Parallel()
	logs := &apptest.LogBuffer{}
	clk := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk, LogTo: logs, Configure: func(c *config.Config) {
		c.BankCallbackSecret, c.TwilioAuthToken, c.TwilioAccountSID = bankSecret, twilioToken, twilioAccount
	}})
	in.SetQuota(t, "JKS", apptest.Day("2026-03-04"), 60, 5)
	if err := in.App.Queue.SetBooth(context.Background(), "JKS", queue.Booth{Number: 1, Services: civil.OSSBoothServices}, "test"); err != nil {
		t.Fatal(err)
	}
	clk.Set(deskDay)
	p := planted{}
	oss := apptest.OSS{Booth: 1, Kiosk: in.DeviceToken(t, "JKS", "kiosk", "Kiosk Log"), Desk: in.OfficerToken(t, "JKS", "jks.desk.log", "desk"),
		Station: in.DeviceToken(t, "JKS", "biometric", "Stasiun Log"), Adjudicator: in.OfficerToken(t, "JKS", "jks.adj.log", "adjudicator"),
		BankSecret: bankSecret}
	for _, tok := range []string{oss.Kiosk, oss.Desk, oss.Station, oss.Adjudicator} {
		p.add("token", tok[20:60])
	}
	r := rand.New(rand.NewPCG(14, 4))
	n, paid := prooftest.Size(3, 20), prooftest.Size(1, 3)
	for i := range n {
		a := newApplicant(r, i)
		a.plant(p)
		a.signInAndBook(t, in, p, i%2 == 1)
		if i < paid {
			no := in.PayByAPI(t, oss, a.booking, a.nik, fmt.Sprintf("BNI-LOG-%d", i), apptest.Face(uint64(1400+i)))
			a.afterPipeline(t, in, no)
		}
		a.lookUpAndText(t, in)
	}
	officerSignIns(t, in, p)

	out := logs.String()
	// the traffic was logged (a proof over empty logs would prove nothing)
	for _, route := range []string{"/api/v1/auth/verify", "/api/v1/bookings", "/login/verify", "/api/v1/sms/inbound",
		"/api/v1/payments/callback", "/api/v1/devices/captures", "/backoffice/login", "/api/v1/applications/:application_no/status"} {
		if !strings.Contains(out, `"route":"`+route+`"`) {
			t.Errorf("no request log of %s", route)
		}
	}
	values, leaked := 0, 0
	for kind, vs := range p {
		for _, v := range vs {
			values++
			if found(out, kind, v) {
				leaked++
				t.Errorf("%s %q found in the logs", kind, v)
			}
		}
	}
	prooftest.Line(t, "logs", fmt.Sprintf("a day's traffic of %d citizens (%d through the pipeline) and officers, logged at debug level", n, paid),
		values-leaked, values, prooftest.Figure("values_planted", values), prooftest.Figure("leaked", leaked),
		prooftest.Figure("log_bytes", len(out)))
}

// found reports whether v is in the logs; an OTP code only as a whole
// word that is not a JSON number (durations and sizes are numbers).
func found(logs, kind, v string) bool {
	if kind != "OTP code" {
		return strings.Contains(logs, v)
	}
	return regexp.MustCompile(`(^|[^0-9A-Za-z:])` + v + `($|[^0-9A-Za-z])`).MatchString(logs)
}

// officerSignIns: right and wrong passwords, by API and the page.
func officerSignIns(t *testing.T, in *apptest.Instance, p planted) {
	tok := in.OfficerToken(t, "JKS", "jks.sup.log", "supervisor")
	p.add("token", tok[20:60])
	p.add("password", "correct-horse-battery")
	p.add("password", "Wrong-Password-Edge-77")
	in.Do(t, "POST", "/api/v1/backoffice/login", "", map[string]string{"username": "jks.sup.log", "password": "Wrong-Password-Edge-77"})
	for _, pw := range []string{"Wrong-Password-Edge-77", "correct-horse-battery"} {
		st, h, _ := apptest.Page(t, "POST", in.URL+"/backoffice/login", "", url.Values{"username": {"jks.sup.log"}, "password": {pw}})
		if c := cookieValue(h.Values("Set-Cookie"), "sppt_officer"); c != "" {
			p.add("token", c[20:60])
		} else if pw == "correct-horse-battery" {
			t.Errorf("page sign-in: %d, no cookie", st)
		}
	}
	in.Do(t, "GET", "/api/v1/backoffice/me", tok, nil)
	in.Do(t, "GET", "/api/v1/backoffice/me", "x"+tok[1:], nil) // a forged token is logged as what?
}

func cookieValue(setCookies []string, name string) string {
	for _, c := range setCookies {
		if v, ok := strings.CutPrefix(c, name+"="); ok {
			v, _, _ = strings.Cut(v, ";")
			return v
		}
	}
	return ""
}
