package sms

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"

	"github.com/sppt/sppt/internal/idn"
)

// LogProvider is the default driver: nothing leaves the machine. The message
// is already stored in the outbox; the log line masks the phone number and
// never holds the text.
type LogProvider struct {
	Log *slog.Logger
	// Demo, when set, receives each sign-in code's text on a line marked
	// DEMO, so that a newcomer on `make run` can sign in without a phone.
	// Only `sppt dev` outside production sets it (never the logs, never Twilio).
	Demo io.Writer
	n    atomic.Int64
}

func (p *LogProvider) Name() string { return "log" }

func (p *LogProvider) Send(ctx context.Context, m Outgoing) (string, error) {
	id := p.n.Add(1)
	p.Log.Info("sms (log driver, not sent)", "to", idn.MaskPhone(m.To), "channel", m.Channel, "chars", len([]rune(m.Body)))
	if p.Demo != nil && m.Kind == NoticeOTP {
		fmt.Fprintf(p.Demo, "DEMO sign-in SMS to %s (make run only, not sent): %s\n", idn.MaskPhone(m.To), m.Body)
	}
	return fmt.Sprintf("LOG%s-%d", m.Key, id), nil
}
