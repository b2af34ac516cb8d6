package config

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestBillingSettings(t *testing.T) {
	t.Setenv("BANK_CALLBACK_SECRET", "")
	t.Setenv("BILL_VALIDITY", "")
	c, err := FromEnv()
	if err != nil || c.BillValidity != 2*time.Hour || c.BankCallbackSecret != "" {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	t.Setenv("BILL_VALIDITY", "90m")
	t.Setenv("BANK_CALLBACK_SECRET", "0123456789abcdef0123")
	if c, err := FromEnv(); err != nil || c.BillValidity != 90*time.Minute || c.BankCallbackSecret != "0123456789abcdef0123" {
		t.Fatalf("set: %+v %v", c, err)
	}
	for _, bad := range []string{"2", "0s", "-1h", "forever", "721h"} {
		t.Setenv("BILL_VALIDITY", bad)
		if _, err := FromEnv(); err == nil {
			t.Errorf("BILL_VALIDITY=%q accepted", bad)
		}
	}
	t.Setenv("BILL_VALIDITY", "")
	t.Setenv("BANK_CALLBACK_SECRET", "short")
	if _, err := FromEnv(); err == nil {
		t.Error("a 5-character BANK_CALLBACK_SECRET accepted")
	}
}

func TestFaceSettings(t *testing.T) {
	for _, tc := range []struct{ driver, url, threshold, wantErr string }{
		{"", "", "", ""},
		{"http", "http://abis.local", "0.35", ""},
		{"http", "", "", "ABIS_URL"},
		{"cloud", "", "", "ABIS_DRIVER"},
		{"", "", "1.5", "FACE_MATCH_THRESHOLD"},
		{"", "", "x", "FACE_MATCH_THRESHOLD"},
	} {
		t.Setenv("ABIS_DRIVER", tc.driver)
		t.Setenv("ABIS_URL", tc.url)
		t.Setenv("FACE_MATCH_THRESHOLD", tc.threshold)
		c, err := FromEnv()
		if tc.wantErr == "" {
			if err != nil {
				t.Errorf("%+v: %v", tc, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%+v: error %v, want one naming %s", tc, err, tc.wantErr)
		}
		_ = c
	}
	t.Setenv("ABIS_DRIVER", "")
	t.Setenv("FACE_MATCH_THRESHOLD", "0.35")
	if c, _ := FromEnv(); c.FaceMatchThreshold != 0.35 || c.ABISDriver != "builtin" {
		t.Fatalf("%v %q", c.FaceMatchThreshold, c.ABISDriver)
	}
}

func TestTrustedProxies(t *testing.T) {
	t.Setenv("TRUSTED_PROXIES", "")
	if c, err := FromEnv(); err != nil || len(c.TrustedProxies) != 0 {
		t.Fatalf("default: %v %v", c.TrustedProxies, err)
	}
	t.Setenv("TRUSTED_PROXIES", " 10.0.0.5, 10.1.2.3/16 ,2001:db8::/32,::ffff:192.0.2.1,")
	c, err := FromEnv()
	got := fmt.Sprint(c.TrustedProxies)
	if err != nil || got != "[10.0.0.5/32 10.1.0.0/16 2001:db8::/32 192.0.2.1/32]" {
		t.Fatalf("list: %s %v", got, err)
	}
	for _, bad := range []string{"10.0.0", "10.0.0.0/33", "proxy.local"} {
		t.Setenv("TRUSTED_PROXIES", bad)
		if _, err := FromEnv(); err == nil || !strings.Contains(err.Error(), "TRUSTED_PROXIES") {
			t.Errorf("TRUSTED_PROXIES=%q: %v", bad, err)
		}
	}
}

func TestMetricsSettings(t *testing.T) {
	t.Setenv("METRICS_TOKEN", "")
	t.Setenv("METRICS_ALLOW", "10.0.0.0/8, 192.0.2.7 2001:db8::/32,::ffff:198.51.100.1")
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range c.MetricsAllow {
		got = append(got, p.String())
	}
	if want := "10.0.0.0/8 192.0.2.7/32 2001:db8::/32 198.51.100.1/32"; strings.Join(got, " ") != want {
		t.Errorf("METRICS_ALLOW read as %v, want %s", got, want)
	}
	for _, bad := range []string{"10.0.0.0/33", "localhost", "10.0.0"} {
		t.Setenv("METRICS_ALLOW", bad)
		if _, err := FromEnv(); err == nil || !strings.Contains(err.Error(), "METRICS_ALLOW") {
			t.Errorf("METRICS_ALLOW=%q: %v", bad, err)
		}
	}
	t.Setenv("METRICS_ALLOW", "")
	t.Setenv("METRICS_TOKEN", "short")
	if _, err := FromEnv(); err == nil || !strings.Contains(err.Error(), "METRICS_TOKEN") {
		t.Errorf("a 5-character METRICS_TOKEN: %v", err)
	}
}

func TestBookingQueueSettings(t *testing.T) {
	t.Setenv("BOOKING_QUEUE", "")
	t.Setenv("BOOKING_QUEUE_WAIT", "")
	if c, err := FromEnv(); err != nil || c.BookingQueue != 0 || c.BookingQueueWait != 0 {
		t.Fatalf("defaults (0: quota's own): %d %v %v", c.BookingQueue, c.BookingQueueWait, err)
	}
	t.Setenv("BOOKING_QUEUE", "2000")
	t.Setenv("BOOKING_QUEUE_WAIT", "3s")
	if c, err := FromEnv(); err != nil || c.BookingQueue != 2000 || c.BookingQueueWait != 3*time.Second {
		t.Fatalf("set: %d %v %v", c.BookingQueue, c.BookingQueueWait, err)
	}
	for k, bad := range map[string]string{"BOOKING_QUEUE": "0", "BOOKING_QUEUE_WAIT": "5"} {
		t.Setenv(k, bad)
		if _, err := FromEnv(); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: %v, want an error naming it", k, bad, err)
		}
		t.Setenv(k, "")
	}
}
