package sms

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/sppt/sppt/internal/idn"
)

// LogProvider is the default driver: nothing leaves the machine. The message
// is already stored in the outbox; the log line masks the phone number.
type LogProvider struct {
	Log *slog.Logger
	n   atomic.Int64
}

func (p *LogProvider) Name() string { return "log" }

func (p *LogProvider) Send(ctx context.Context, m Outgoing) (string, error) {
	id := p.n.Add(1)
	p.Log.Info("sms (log driver, not sent)", "to", idn.MaskPhone(m.To), "channel", m.Channel, "chars", len([]rune(m.Body)))
	return fmt.Sprintf("LOG%s-%d", m.Key, id), nil
}
