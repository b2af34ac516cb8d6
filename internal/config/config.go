// Package config reads SPPT's configuration from the environment, exactly as
// CONTRACT.md lists it.
package config

import (
	"fmt"
	"os"
	"strconv"
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

	KioskIdleSeconds int // KIOSK_IDLE_SECONDS: a kiosk left alone this long returns to its start screen
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
		KioskIdleSeconds:       60,
	}
	if v := os.Getenv("KIOSK_IDLE_SECONDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 || n > 3600 {
			return c, fmt.Errorf("KIOSK_IDLE_SECONDS: want a whole number of seconds from 5 to 3600, got %q", v)
		}
		c.KioskIdleSeconds = n
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
