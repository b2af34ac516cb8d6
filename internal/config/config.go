// Package config reads SPPT's configuration from the environment, exactly as
// CONTRACT.md lists it.
package config

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

type Config struct {
	DatabaseURL   string
	HTTPAddr      string
	PublicBaseURL string
	JWTSecret     string
	Env           string
	Now           string // SPPT_NOW

	SMSDriver              string
	TwilioAccountSID       string
	TwilioAuthToken        string
	TwilioFrom             string
	TwilioMessagingService string
	TwilioAPIURL           string
	SMSRatePerSecond       float64

	BankCallbackSecret string        // BANK_CALLBACK_SECRET: the bank callback's HMAC key; unset refuses every callback
	BillValidity       time.Duration // BILL_VALIDITY: how long a billing code may be paid (default 2h)
}

// FromEnv reads the environment; it fails on values it cannot use, naming them.
func FromEnv() (Config, error) {
	c := Config{
		DatabaseURL:            os.Getenv("DATABASE_URL"),
		HTTPAddr:               envOr("HTTP_ADDR", ":8080"),
		PublicBaseURL:          os.Getenv("PUBLIC_BASE_URL"),
		JWTSecret:              os.Getenv("JWT_SECRET"),
		Env:                    envOr("SPPT_ENV", "development"),
		Now:                    os.Getenv("SPPT_NOW"),
		SMSDriver:              envOr("SMS_DRIVER", "log"),
		TwilioAccountSID:       os.Getenv("TWILIO_ACCOUNT_SID"),
		TwilioAuthToken:        os.Getenv("TWILIO_AUTH_TOKEN"),
		TwilioFrom:             os.Getenv("TWILIO_FROM"),
		TwilioMessagingService: os.Getenv("TWILIO_MESSAGING_SERVICE_SID"),
		TwilioAPIURL:           envOr("TWILIO_API_URL", "https://api.twilio.com"),
		SMSRatePerSecond:       10,
		BankCallbackSecret:     os.Getenv("BANK_CALLBACK_SECRET"),
		BillValidity:           2 * time.Hour,
	}
	if n := len(c.BankCallbackSecret); n > 0 && n < 16 {
		return c, fmt.Errorf("BANK_CALLBACK_SECRET: want at least 16 characters, got %d", n)
	}
	if v := os.Getenv("BILL_VALIDITY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute || d > 30*24*time.Hour {
			return c, fmt.Errorf("BILL_VALIDITY: want a duration from 1m to 720h such as 2h or 90m, got %q", v)
		}
		c.BillValidity = d
	}
	if v := os.Getenv("SMS_RATE_PER_SECOND"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r <= 0 {
			return c, fmt.Errorf("SMS_RATE_PER_SECOND: want a positive number, got %q", v)
		}
		c.SMSRatePerSecond = r
	}
	if c.PublicBaseURL == "" {
		c.PublicBaseURL = "http://localhost" + c.HTTPAddr
		if c.HTTPAddr != "" && c.HTTPAddr[0] != ':' {
			c.PublicBaseURL = "http://" + c.HTTPAddr
		}
	}
	switch c.SMSDriver {
	case "log":
	case "twilio":
		if c.TwilioAccountSID == "" || c.TwilioAuthToken == "" || (c.TwilioFrom == "" && c.TwilioMessagingService == "") {
			return c, fmt.Errorf("SMS_DRIVER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID")
		}
	default:
		return c, fmt.Errorf("SMS_DRIVER: want log or twilio, got %q", c.SMSDriver)
	}
	return c, nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
