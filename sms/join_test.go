package sms_test

import (
	"context"
	"strings"
	"testing"
)

// The daily broadcast goes to Indonesian mobiles only: a foreign number
// that texts DAFTAR (JOIN) is told so and is not subscribed, so no one can
// make SPPT send international SMS at the deployment's cost.
func TestJoinOnlyFromIndonesianMobiles(t *testing.T) {
	t.Parallel()
	in := startInstance(t, nil)
	count := func(phone string) int {
		t.Helper()
		var n int
		if err := in.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sms_subscriptions WHERE phone = $1`, phone).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct{ from, body, want string }{
		{"+14155550123", "DAFTAR JKS", "+62"},
		{"+14155550123", "join jks", "+62"},
		{"whatsapp:+447700900123", "DAFTAR JKS", "+62"},
	} {
		reply := text(t, in, c.from, c.body)
		phone := strings.TrimPrefix(c.from, "whatsapp:")
		if n := count(phone); n != 0 || !strings.Contains(reply, c.want) || strings.Contains(reply, "Terdaftar") || strings.Contains(reply, "Subscribed") {
			t.Errorf("%s %q: reply %q, %d subscriptions; want refused", c.from, c.body, reply, n)
		}
	}
	if reply := text(t, in, "+14155550123", "JOIN JKS"); !strings.Contains(reply, "Indonesian") {
		t.Errorf("English JOIN from abroad: %q", reply)
	}
	if reply := text(t, in, "+6281234567004", "DAFTAR JKS"); !strings.Contains(reply, "Terdaftar") || count("+6281234567004") != 1 {
		t.Errorf("Indonesian mobile: %q", reply)
	}
	// A foreign number may still ask (KUOTA) and stop (BERHENTI).
	if reply := text(t, in, "+14155550123", "KUOTA JKS"); !strings.Contains(reply, "online") {
		t.Errorf("KUOTA from abroad: %q", reply)
	}
}
