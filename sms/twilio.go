package sms

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"
)

// TwilioConfig configures the twilio driver (CONTRACT.md's TWILIO_* settings).
type TwilioConfig struct {
	AccountSID          string
	AuthToken           string
	From                string // a number or registered alphanumeric sender; "" with MessagingServiceSID
	MessagingServiceSID string
	APIURL              string        // default https://api.twilio.com; another host for tests or an egress proxy
	StatusCallback      string        // PUBLIC_BASE_URL + /api/v1/sms/status
	Timeout             time.Duration // bounds every call (twilio-go takes no context)
}

// TwilioProvider sends through Twilio's Messages API with the official
// client's v2010 service alone: twilio-go's RestClient would link every one
// of Twilio's ~40 APIs into each binary and test (minutes of CI compiling).
type TwilioProvider struct {
	cfg TwilioConfig
	api *openapi.ApiService
}

// DefaultTwilioTimeout bounds one Twilio API call.
const DefaultTwilioTimeout = 8 * time.Second

// NewTwilio builds the driver. twilio-go has no base-URL option, so
// TWILIO_API_URL is honoured by an http.Client whose transport rewrites the
// scheme and host of requests meant for api.twilio.com.
func NewTwilio(cfg TwilioConfig) (*TwilioProvider, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTwilioTimeout
	}
	// Many workers send at once: keep their connections (the default keeps
	// two per host, so most sends would dial, and dialling adds jitter).
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	var rt http.RoundTripper = tr
	if cfg.APIURL != "" {
		u, err := url.Parse(cfg.APIURL)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("TWILIO_API_URL: want an http(s) URL, got %q", cfg.APIURL)
		}
		if u.Host != "api.twilio.com" || u.Scheme != "https" {
			rt = rewriteHost{base: tr, scheme: u.Scheme, host: u.Host}
		}
	}
	hc := &http.Client{
		Timeout:       cfg.Timeout,
		Transport:     rt,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	base := &client.Client{Credentials: client.NewCredentials(cfg.AccountSID, cfg.AuthToken), HTTPClient: hc}
	base.SetAccountSid(cfg.AccountSID)
	return &TwilioProvider{cfg: cfg, api: openapi.NewApiServiceWithClient(base)}, nil
}

// rewriteHost sends requests for api.twilio.com to another scheme and host.
type rewriteHost struct {
	base         http.RoundTripper
	scheme, host string
}

func (r rewriteHost) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != "api.twilio.com" {
		return r.base.RoundTrip(req)
	}
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host, out.Host = r.scheme, r.host, r.host
	return r.base.RoundTrip(out)
}

func (p *TwilioProvider) Name() string { return "twilio" }

// address is a recipient or sender in Twilio's form for the channel.
func address(channel, e164 string) string {
	if channel == "whatsapp" && !strings.HasPrefix(e164, "whatsapp:") {
		return "whatsapp:" + e164
	}
	return e164
}

// Send creates one message. The call is bounded by the HTTP client's
// timeout, not by ctx: twilio-go builds its requests without a context.
func (p *TwilioProvider) Send(ctx context.Context, m Outgoing) (string, error) {
	params := &openapi.CreateMessageParams{}
	params.SetTo(address(m.Channel, m.To)).SetBody(m.Body)
	if p.cfg.MessagingServiceSID != "" {
		params.SetMessagingServiceSid(p.cfg.MessagingServiceSID)
	}
	if p.cfg.From != "" {
		params.SetFrom(address(m.Channel, p.cfg.From))
	}
	if p.cfg.StatusCallback != "" {
		params.SetStatusCallback(p.cfg.StatusCallback)
	}
	if m.Validity > 0 {
		params.SetValidityPeriod(int(min(m.Validity, 10*time.Hour) / time.Second))
	}
	msg, err := p.api.CreateMessage(params)
	if err != nil {
		return "", classifyTwilio(err)
	}
	if msg.Sid == nil || *msg.Sid == "" {
		return "", errors.New("twilio: accepted without a message sid")
	}
	return *msg.Sid, nil
}

// Find looks for a message to m.To with m.Body created at or after since:
// the check before re-sending a message whose earlier attempt has no known
// outcome. Twilio lists newest first; one page of 50 covers the recipient's
// recent messages.
func (p *TwilioProvider) Find(ctx context.Context, m Outgoing, since time.Time) (string, bool, error) {
	params := &openapi.ListMessageParams{}
	params.SetTo(address(m.Channel, m.To)).SetPageSize(50)
	page, err := p.api.PageMessage(params, "", "")
	if err != nil {
		return "", false, classifyTwilio(err)
	}
	for _, msg := range page.Messages {
		if msg.Body == nil || *msg.Body != m.Body || msg.Sid == nil {
			continue
		}
		if msg.DateCreated != nil {
			if t, err := time.Parse(time.RFC1123Z, *msg.DateCreated); err == nil && t.Before(since.Add(-time.Minute)) {
				continue // an older message with the same text (a minute of clock skew allowed)
			}
		}
		return *msg.Sid, true, nil
	}
	return "", false, nil
}

// classifyTwilio maps Twilio's answers to the outbox's three outcomes:
// permanent (never retry), not sent (retry freely) and unknown (retry only
// after checking). 429 / 20429 is documented as always safe to retry.
func classifyTwilio(err error) error {
	var te *client.TwilioRestError
	if !errors.As(err, &te) {
		return fmt.Errorf("twilio: %w", err) // timeout, connection reset, undecodable 5xx: unknown outcome
	}
	code := strconv.Itoa(te.Code)
	switch {
	case te.Status == http.StatusTooManyRequests || te.Code == 20429:
		return &NotSentError{Err: te}
	case te.Code == 21610: // the recipient replied STOP to this sender
		return &PermanentError{Code: code, Stopped: true, Err: te}
	case te.Code == 21211 || te.Code == 21614 || te.Code == 21612 || te.Code == 21408 || te.Code == 63003:
		return &PermanentError{Code: code, Err: te} // invalid / unreachable number
	case te.Status == http.StatusUnauthorized || te.Status == http.StatusForbidden:
		return &NotSentError{Err: te} // credentials: an operator fixes them, the message waits
	case te.Status >= 500:
		return &ServerError{Err: te} // the request may or may not have been processed
	case te.Status >= 400:
		return &PermanentError{Code: code, Err: te}
	}
	return fmt.Errorf("twilio: %w", te)
}
