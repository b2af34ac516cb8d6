package config

import (
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
