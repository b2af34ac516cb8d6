package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/config"
)

// `sppt dev` (make run) prints each sign-in code on a DEMO line so that a
// newcomer can sign in without a phone; in production the code is on that
// line, in the logs and in the answer nowhere, even with DemoSMS set.
func TestDemoSignInCodeOnlyOutsideProduction(t *testing.T) {
	t.Parallel()
	for _, env := range []string{"development", "production"} {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			logs, demo := &apptest.LogBuffer{}, &apptest.LogBuffer{}
			in := apptest.Start(t, apptest.DB(t), apptest.Options{LogTo: logs, DemoSMS: demo,
				Configure: func(c *config.Config) { c.Env = env }})
			const phone, local = "+6281377665544", "081377665544"
			r := in.Do(t, "POST", "/api/v1/auth/otp", "", map[string]string{"phone": local})
			if r.Status != 200 && r.Status != 201 && r.Status != 202 {
				t.Fatalf("otp: %d %s", r.Status, r.Body)
			}
			code := in.LastOTP(t, phone)
			waitSent(t, in, phone)
			if strings.Contains(string(r.Body), code) || strings.Contains(logs.String(), code) {
				t.Fatal("the sign-in code is in the answer or the logs")
			}
			line := demo.String()
			if env == "production" {
				if line != "" {
					t.Fatalf("production printed a demo line: %q", line)
				}
				return
			}
			if !strings.HasPrefix(line, "DEMO ") || !strings.Contains(line, code) || strings.Contains(line, "81377665544") {
				t.Fatalf("demo line %q: want DEMO, the code %s and a masked phone", line, code)
			}
		})
	}
}

// waitSent waits until the outbox has handed phone's sign-in SMS to the driver.
func waitSent(t *testing.T, in *apptest.Instance, phone string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var sent bool
		err := in.Pool.QueryRow(context.Background(), `SELECT status = 'sent' FROM sms_messages
			WHERE to_phone = $1 AND kind = 'otp' ORDER BY id DESC LIMIT 1`, phone).Scan(&sent)
		if err != nil {
			t.Fatal(err)
		}
		if sent {
			return
		}
	}
	t.Fatal("the sign-in SMS was not sent within 20 s")
}
