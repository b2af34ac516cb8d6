// Package attacks is the proof that SPPT refuses the wrong caller (issue 14,
// part 2, item 3): an authorisation matrix over every id-taking route of
// the OpenAPI document, every token forgery the tests know, and forged or
// replayed Twilio and bank callbacks, each against a running instance.
package attacks

import (
	"context"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
)

// Office A holds every resource the matrix attacks; office B (another
// region) holds the look-alike actors: its officers and devices have the
// right role or kind, only the wrong office.
const (
	officeA, regionA = "JKS", "DKI Jakarta"
	officeB, regionB = "BDG", "Jawa Barat"
	day              = "2026-03-04" // Wednesday, the office day the world lives on
	ownerPhone       = "+6281234567890"
	otherPhone       = "+6281200001111"
)

// jwtSecret is the instance's signing key (JWT_SECRET), known here so the
// forgeries can sign with the right key and only one thing wrong.
const jwtSecret = "sppt-proof-attacks-jwt-secret-0123456789"

// twilioToken and bankSecret sign the Twilio webhooks and the bank's
// callbacks the instance accepts.
const (
	twilioToken = "proof-attacks-twilio-auth-token"
	bankSecret  = "proof-attacks-bank-callback-secret"
)

// deskAt is the office day at 09:00 WIB, when the kiosks and desks work.
var deskAt = time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)

// officeRoles are the roles an officer of one office can hold.
var officeRoles = []string{"desk", "biometric", "adjudicator", "supervisor", "cashier", "printer", "validator", "pickup", "admin"}

// deviceKinds are the kinds a device can be enrolled as.
var deviceKinds = []string{"kiosk", "display", "booth", "biometric", "printer"}

// world is one running instance with the actors of both offices.
type world struct {
	t   testing.TB
	in  *apptest.Instance
	clk *clock.Fake
	ctx context.Context
	// officer[office][role], device[office][kind]: tokens.
	officer, device map[string]map[string]string
	headA, headB    string // regional heads of A's and B's regions
	owner, other    string // citizen tokens: the bookings' owner, another citizen
}

// newWorld starts an instance on Monday 2 March 2026, 08:00 WIB, with the
// office day's quota open in both offices: bookings are taken now, then
// start sets the clock to the office day and signs the actors in.
func newWorld(t testing.TB) *world {
	t.Helper()
	clk := clock.NewFake(apptest.Opening)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk,
		Configure: func(c *config.Config) {
			c.JWTSecret, c.TwilioAuthToken, c.BankCallbackSecret = jwtSecret, twilioToken, bankSecret
		}})
	for _, o := range []string{officeA, officeB} {
		in.SetQuota(t, o, apptest.Day(day), 20, 5)
		in.SetQuota(t, o, apptest.Day("2026-03-05"), 20, 5) // where a booking is rescheduled to
	}
	return &world{t: t, in: in, clk: clk, ctx: context.Background()}
}

// start moves the clock to the office day, 09:00 WIB, and makes an officer
// of every role and a device of every kind in both offices.
func (w *world) start() {
	t, in := w.t, w.in
	w.clk.Set(deskAt)
	w.officer, w.device = map[string]map[string]string{}, map[string]map[string]string{}
	for _, o := range []string{officeA, officeB} {
		w.officer[o], w.device[o] = map[string]string{}, map[string]string{}
		for _, r := range officeRoles {
			w.officer[o][r] = w.officerToken(o, "", lower(o)+"."+r, r)
		}
		for _, k := range deviceKinds {
			w.device[o][k] = in.DeviceToken(t, o, k, o+" "+k)
		}
	}
	w.headA = w.officerToken("", regionA, "head.a", "regional_head")
	w.headB = w.officerToken("", regionB, "head.b", "regional_head")
	w.owner, w.other = in.CitizenToken(t, ownerPhone), in.CitizenToken(t, otherPhone)
}
