package sms

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v3"
	"github.com/twilio/twilio-go/client"

	"github.com/sppt/sppt/internal/httpx"
)

// Paths of Twilio's webhooks under /api/v1.
const (
	InboundPath = "/sms/inbound"
	StatusPath  = "/sms/status"
)

// inboundForm documents the fields SPPT reads; Twilio sends more, and may
// add parameters at any time (all of them are covered by the signature).
type inboundForm struct {
	MessageSid string `json:"MessageSid"`
	From       string `json:"From"`
	To         string `json:"To"`
	Body       string `json:"Body"`
}

type statusForm struct {
	MessageSid    string `json:"MessageSid"`
	MessageStatus string `json:"MessageStatus"`
	ErrorCode     string `json:"ErrorCode"`
}

// Routes registers Twilio's webhooks.
func (s *Service) Routes(api httpx.API) {
	api.Post(InboundPath, httpx.Op{
		Summary: "Twilio inbound SMS/WhatsApp webhook: keyword queries, answered with TwiML", Tag: "sms", Auth: "twilio",
		Body: inboundForm{}, Form: true, Produces: "text/xml",
		Responses: map[int]any{200: "<Response><Message>…</Message></Response>", 400: nil, 403: nil},
	}, s.inbound)
	api.Post(StatusPath, httpx.Op{
		Summary: "Twilio delivery status callback", Tag: "sms", Auth: "twilio",
		Body: statusForm{}, Form: true,
		Responses: map[int]any{204: nil, 403: nil},
	}, s.status)
}

// formParams reads every POST parameter (first value of each), as Twilio signed them.
func formParams(c fiber.Ctx) map[string]string {
	params := map[string]string{}
	for k, v := range c.Request().PostArgs().All() {
		if _, ok := params[string(k)]; !ok {
			params[string(k)] = string(v)
		}
	}
	return params
}

// verify checks X-Twilio-Signature with twilio-go's validator against the
// public URL Twilio called (PUBLIC_BASE_URL + path and query).
func (s *Service) verify(c fiber.Ctx, params map[string]string) error {
	sig := c.Get("X-Twilio-Signature")
	if s.AuthToken == "" || sig == "" {
		return httpx.New(http.StatusForbidden, "sms_signature_invalid")
	}
	v := client.NewRequestValidator(s.AuthToken)
	if !v.Validate(strings.TrimRight(s.PublicBaseURL, "/")+c.OriginalURL(), params, sig) {
		return httpx.New(http.StatusForbidden, "sms_signature_invalid")
	}
	return nil
}

// StripNUL removes NUL characters from signed parameters. The rest of the
// API refuses them (httpx.RefuseNUL), but a refused webhook makes Twilio
// retry a message that can never succeed: here they are dropped, after the
// signature was checked over the values as sent.
func StripNUL(params map[string]string) {
	for k, v := range params {
		if strings.Contains(k, "\x00") || strings.Contains(v, "\x00") {
			delete(params, k)
			params[strings.ReplaceAll(k, "\x00", "")] = strings.ReplaceAll(v, "\x00", "")
		}
	}
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

func (s *Service) inbound(c fiber.Ctx) error {
	params := formParams(c)
	if err := s.verify(c, params); err != nil {
		return err
	}
	StripNUL(params)
	in := Inbound{Sid: params["MessageSid"], Body: params["Body"]}
	if in.Sid == "" {
		in.Sid = params["SmsSid"]
	}
	from, channel, ok := s.senders.parse(params["From"])
	if !ok { // a foreign or landline sender: answer it all the same
		from = strings.TrimPrefix(strings.TrimSpace(params["From"]), "whatsapp:")
	}
	in.From, in.Channel = from, channel
	if in.Sid == "" || len(in.Sid) > 64 || !e164.MatchString(in.From) {
		return httpx.New(http.StatusBadRequest, "sms_inbound_invalid")
	}
	reply, err := s.Handle(c.Context(), in)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/xml; charset=utf-8")
	return c.Send(TwiML(reply))
}

// TwiML is a reply in Twilio's markup, the text XML-escaped.
func TwiML(text string) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Response>`)
	if text != "" {
		b.WriteString("<Message>")
		_ = xml.EscapeText(&b, []byte(text))
		b.WriteString("</Message>")
	}
	b.WriteString("</Response>")
	return b.Bytes()
}

// status records a delivery callback. A callback may arrive before the
// worker has stored Twilio's sid (the answer and the callback race): such a
// callback matches no row and is dropped; the message stays "sent".
func (s *Service) status(c fiber.Ctx) error {
	params := formParams(c)
	if err := s.verify(c, params); err != nil {
		return err
	}
	StripNUL(params)
	if err := s.Outbox.Callback(c.Context(), params["MessageSid"], params["MessageStatus"], params["ErrorCode"]); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}
