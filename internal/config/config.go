// Package config reads SPPT's configuration from the environment, exactly as
// CONTRACT.md lists it.
package config

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
)

type Config struct {
	DatabaseURL   string
	HTTPAddr      string
	PublicBaseURL string
	JWTSecret     string
	Env           string
	Now           string  // SPPT_NOW
	ClockRate     float64 // SPPT_CLOCK_RATE: simulated seconds per real second under SPPT_NOW

	SMSDriver              string
	TwilioAccountSID       string
	TwilioAuthToken        string
	TwilioFrom             string
	TwilioMessagingService string
	TwilioAPIURL           string
	SMSRatePerSecond       float64

	BankCallbackSecret string        // BANK_CALLBACK_SECRET: the bank callback's HMAC key; unset refuses every callback
	BillValidity       time.Duration // BILL_VALIDITY: how long a billing code may be paid (default 2h)
	// Face identification (backoffice/biometric) and the key that seals
	// specific personal data (internal/sealed).
	ABISDriver         string  // ABIS_DRIVER: builtin or http
	ABISURL            string  // ABIS_URL, for http
	FaceMatchThreshold float64 // FACE_MATCH_THRESHOLD, a cosine similarity
	DataKey            string  // DATA_KEY, base64 of 32 bytes
	DataKeyFile        string  // DATA_KEY_FILE
	KioskIdleSeconds   int     // KIOSK_IDLE_SECONDS: a kiosk left alone this long returns to its start screen
	// CaptureRetention (CAPTURE_RETENTION, default 720h): biometric captures
	// older than this are deleted.
	CaptureRetention time.Duration
	// The audit chain's anchor (internal/audit): the checkpoints' HMAC key,
	// which the database never holds, and the directory off the database
	// where the signed checkpoints are appended.
	AuditKey       string // AUDIT_KEY, base64 of 32 bytes
	AuditKeyFile   string // AUDIT_KEY_FILE
	AuditAnchorDir string // AUDIT_ANCHOR_DIR
	// RevocationRefresh bounds how long a revoked token may still pass on an
	// instance that missed the event (0: auth.DefaultRefresh; tests shorten it).
	RevocationRefresh time.Duration
	// Printing (backoffice/printing): PASSPORT_NUMBER_FORMAT ('@' a counting
	// letter, '#' a counting digit, A–Z/0–9 fixed; default "@#######") and
	// PRINT_BOOK_TYPE (ordinary_24, ordinary_48 default, electronic_48).
	PassportNumberFormat string
	PrintBookType        string
	// TrustedProxies (TRUSTED_PROXIES: comma-separated addresses or CIDR
	// ranges; default none) are the load balancers and reverse proxies whose
	// X-Forwarded-For and X-Forwarded-Proto are believed. A single address is
	// kept as its /32 or /128.
	TrustedProxies []netip.Prefix
	// Who may read /metrics: a scraper sending "Authorization: Bearer
	// <METRICS_TOKEN>" or calling from an address of METRICS_ALLOW (IPs or
	// CIDRs, comma-separated; the TCP peer, never a forwarded header). With
	// neither, production refuses every scrape and development allows it.
	MetricsToken string
	MetricsAllow []netip.Prefix
	// Admission control of bookings, per instance (quota.Service): at most
	// BookingQueue (BOOKING_QUEUE, default 512) wait for a batch, none
	// longer than BookingQueueWait (BOOKING_QUEUE_WAIT, default 5s); the
	// rest are answered 503 with Retry-After.
	BookingQueue     int
	BookingQueueWait time.Duration
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
		ClockRate:              1,
		SMSDriver:              envOr("SMS_DRIVER", "log"),
		TwilioAccountSID:       os.Getenv("TWILIO_ACCOUNT_SID"),
		TwilioAuthToken:        os.Getenv("TWILIO_AUTH_TOKEN"),
		TwilioFrom:             os.Getenv("TWILIO_FROM"),
		TwilioMessagingService: os.Getenv("TWILIO_MESSAGING_SERVICE_SID"),
		TwilioAPIURL:           envOr("TWILIO_API_URL", "https://api.twilio.com"),
		SMSRatePerSecond:       10,
		BankCallbackSecret:     os.Getenv("BANK_CALLBACK_SECRET"),
		BillValidity:           2 * time.Hour,
		ABISDriver:             envOr("ABIS_DRIVER", "builtin"),
		ABISURL:                os.Getenv("ABIS_URL"),
		FaceMatchThreshold:     0.40, // README "Face identification" says why
		DataKey:                os.Getenv("DATA_KEY"),
		DataKeyFile:            os.Getenv("DATA_KEY_FILE"),
		AuditKey:               os.Getenv("AUDIT_KEY"),
		AuditKeyFile:           os.Getenv("AUDIT_KEY_FILE"),
		AuditAnchorDir:         os.Getenv("AUDIT_ANCHOR_DIR"),
		KioskIdleSeconds:       60,
		CaptureRetention:       30 * 24 * time.Hour,
		PassportNumberFormat:   os.Getenv("PASSPORT_NUMBER_FORMAT"),
		PrintBookType:          envOr("PRINT_BOOK_TYPE", "ordinary_48"),
	}
	switch c.PrintBookType {
	case "ordinary_24", "ordinary_48", "electronic_48":
	default:
		return c, fmt.Errorf("PRINT_BOOK_TYPE: want ordinary_24, ordinary_48 or electronic_48, got %q", c.PrintBookType)
	}
	if n := len(c.BankCallbackSecret); n > 0 && n < 16 {
		return c, fmt.Errorf("BANK_CALLBACK_SECRET: want at least 16 characters, got %d", n)
	}
	if v := os.Getenv("SPPT_CLOCK_RATE"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r <= 0 || r > 3600 {
			return c, fmt.Errorf("SPPT_CLOCK_RATE: want a number above 0 and at most 3600 (simulated seconds per real second), got %q", v)
		}
		c.ClockRate = r
	}
	if v := os.Getenv("BILL_VALIDITY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute || d > 30*24*time.Hour {
			return c, fmt.Errorf("BILL_VALIDITY: want a duration from 1m to 720h such as 2h or 90m, got %q", v)
		}
		c.BillValidity = d
	}
	if v := os.Getenv("CAPTURE_RETENTION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Hour {
			return c, fmt.Errorf("CAPTURE_RETENTION: want a duration of at least 1h such as 720h, got %q", v)
		}
		c.CaptureRetention = d
	}
	proxies, err := ParseProxies(os.Getenv("TRUSTED_PROXIES"))
	if err != nil {
		return c, err
	}
	c.TrustedProxies = proxies
	if err := c.metricsFromEnv(); err != nil {
		return c, err
	}
	if err := c.faceFromEnv(); err != nil {
		return c, err
	}
	if v := os.Getenv("KIOSK_IDLE_SECONDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 || n > 3600 {
			return c, fmt.Errorf("KIOSK_IDLE_SECONDS: want a whole number of seconds from 5 to 3600, got %q", v)
		}
		c.KioskIdleSeconds = n
	}
	if err := c.bookingQueueFromEnv(); err != nil {
		return c, err
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

func (c *Config) bookingQueueFromEnv() error {
	if v := os.Getenv("BOOKING_QUEUE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100_000 {
			return fmt.Errorf("BOOKING_QUEUE: want a whole number of bookings from 1 to 100000, got %q", v)
		}
		c.BookingQueue = n
	}
	if v := os.Getenv("BOOKING_QUEUE_WAIT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 100*time.Millisecond || d > time.Minute {
			return fmt.Errorf("BOOKING_QUEUE_WAIT: want a duration from 100ms to 1m such as 5s, got %q", v)
		}
		c.BookingQueueWait = d
	}
	return nil
}

func (c *Config) faceFromEnv() error {
	if v := os.Getenv("FACE_MATCH_THRESHOLD"); v != "" {
		th, err := strconv.ParseFloat(v, 64)
		if err != nil || th <= 0 || th >= 1 {
			return fmt.Errorf("FACE_MATCH_THRESHOLD: want a cosine similarity between 0 and 1, got %q", v)
		}
		c.FaceMatchThreshold = th
	}
	switch c.ABISDriver {
	case "builtin":
	case "http":
		if c.ABISURL == "" {
			return fmt.Errorf("ABIS_DRIVER=http needs ABIS_URL")
		}
	default:
		return fmt.Errorf("ABIS_DRIVER: want builtin or http, got %q", c.ABISDriver)
	}
	return nil
}

// ParseProxies reads TRUSTED_PROXIES: "10.0.0.5, 10.1.0.0/16, fd00::/8".
func ParseProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if a, err := netip.ParseAddr(f); err == nil {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("TRUSTED_PROXIES: %q is neither an IP address nor a CIDR range such as 10.0.0.0/8", f)
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func (c *Config) metricsFromEnv() error {
	c.MetricsToken = os.Getenv("METRICS_TOKEN")
	if n := len(c.MetricsToken); n > 0 && n < 16 {
		return fmt.Errorf("METRICS_TOKEN: want at least 16 characters, got %d", n)
	}
	allow, err := ParseAllow(os.Getenv("METRICS_ALLOW"))
	if err != nil {
		return fmt.Errorf("METRICS_ALLOW: %w", err)
	}
	c.MetricsAllow = allow
	return nil
}

// ParseAllow reads a list of IP addresses and CIDR prefixes separated by
// commas or spaces ("10.0.0.0/8, 192.0.2.7"); an address is its own /32 or /128.
func ParseAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("want IP addresses or CIDR prefixes such as 10.0.0.0/8, got %q", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
