package edge_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/proof/prooftest"
)

// foreignNumbers are what SMS pumping aims at: premium-rate and foreign
// numbers (paid per message to whoever runs them), satellite and
// international shared-cost ranges, and Indonesian numbers that are not
// mobiles, in every written form.
var foreignNumbers = []string{"+14155552671", "+1 900 555 0100", "+447700900123", "+44 909 879 0000", "+8823456789",
	"+881612345678", "+2399912345", "+37259000000", "+2553345678", "+960 900 1234", "+6221555123", "021555123",
	"+62800123456", "0809123456", "+628001234567", "001 415 555 2671", "+6581234567", "+60123456789"}

// randomMobile is an Indonesian mobile number (+628…) from a fixed seed.
func randomMobile(r *rand.Rand) string {
	return fmt.Sprintf("+628%d%08d", 11+r.IntN(9), r.IntN(100_000_000))
}

// smsPumpingWithinTheCaps asks for sign-in codes to foreign and
// premium numbers and to many random Indonesian mobiles, from one client
// and from many at once, and counts the SMS queued in the outbox: none to a
// foreign number, 30 per client, 3 per phone.
func smsPumpingWithinTheCaps(t *testing.T, in *apptest.Instance) {
	c := &checks{t: t}
	r := rand.New(rand.NewPCG(14, 2))
	requests := 0

	clients := prooftest.Size(4, 40)
	got := concurrently(clients*len(foreignNumbers), func(i int) int {
		return client(in, i%clients).Send("POST", "/api/v1/auth/otp", otpBody(foreignNumbers[i%len(foreignNumbers)]))
	})
	requests += clients * len(foreignNumbers)
	c.that(got[422] == clients*len(foreignNumbers), "foreign and premium numbers: %v, want all 422", got)
	foreign := outbox(t, in)
	c.that(foreign == 0, "SMS queued to foreign numbers: %d", foreign)

	perClient := codesPerClient + prooftest.Size(10, 100)
	phones := make([]string, clients*perClient)
	for i := range phones {
		phones[i] = randomMobile(r)
	}
	got = concurrently(perClient, func(i int) int { // one client
		return client(in, 100).Send("POST", "/api/v1/auth/otp", otpBody(phones[i]))
	})
	requests += perClient
	c.that(got[202] == codesPerClient, "one client, %d random mobiles at once: %v, want %d×202", perClient, got, codesPerClient)
	got = concurrently(clients*perClient, func(i int) int { // many clients
		return client(in, 200+i%clients).Send("POST", "/api/v1/auth/otp", otpBody(phones[i]))
	})
	requests += clients * perClient
	c.that(got[202] == clients*codesPerClient, "%d clients, %d random mobiles each: %v, want %d×202", clients, perClient, got, clients*codesPerClient)

	const one = "+6281355509999"
	got = concurrently(clients*4, func(i int) int { // one number from many clients
		return client(in, 500+i).Send("POST", "/api/v1/auth/otp", otpBody(one))
	})
	requests += clients * 4
	c.that(got[202] == codesPerPhone, "one number from %d clients at once: %v, want %d×202", clients*4, got, codesPerPhone)

	queued, cap := outbox(t, in), (1+clients)*codesPerClient+codesPerPhone
	c.that(queued <= cap, "SMS queued: %d, cap %d", queued, cap)
	prooftest.Line(t, "sms-pumping", fmt.Sprintf("sign-in codes to %d foreign/premium numbers and random mobiles from 1 and %d clients at once", len(foreignNumbers), clients),
		c.held, c.all, prooftest.Figure("requests", requests), prooftest.Figure("sms_queued", queued), prooftest.Figure("cap", cap),
		prooftest.Figure("to_foreign_numbers", foreign))
}

// outbox counts the sign-in SMS queued.
func outbox(t *testing.T, in *apptest.Instance) int {
	var n int
	if err := in.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sms_messages WHERE kind = 'otp'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
